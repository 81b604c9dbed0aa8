"""Switching on two-factor authentication revokes the person's API tokens: a token
obtained with the password alone must not outlive the second factor. Any path counts
(allauth's pages, `create_operator --totp-secret`, the admin), hence a model signal."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models.signals import post_save
from django.dispatch import receiver

from crm.accounts.models import ApiToken

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@receiver(post_save, sender=Authenticator, dispatch_uid="accounts_2fa_revokes_api_tokens")
def _second_factor_added(sender: Any, instance: Authenticator, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw") and instance.type in SECOND_FACTORS:
        ApiToken.objects.filter(user_id=instance.user_id).delete()
