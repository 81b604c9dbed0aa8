"""Set-password links of the portal (the invitation and the password reset).

Django's password-reset token, with its own salt and built from the portal account: it
expires after PASSWORD_RESET_TIMEOUT and stops working once used (the password hash
and the last login are part of it), and an account of another company with the same id
has another hash, so a link never opens another company's account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class PortalTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "crm.portal.tokens.PortalTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        last: datetime | None = user.last_login
        login = "" if last is None else last.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.password}{login}{timestamp}{user.email}"


portal_tokens = PortalTokenGenerator()
