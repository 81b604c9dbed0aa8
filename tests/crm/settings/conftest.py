from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.crm.staff_fixtures import _media
from tests.support.fake_smtp import smtp_server_running

__all__ = ["_media"]


# --- a real local SMTP server (aiosmtpd) ------------------------------------------------------

SMTP_USER = "mailer@alfa.test"
SMTP_PASSWORD = "tajne-haslo-smtp-42"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == SMTP_USER
        and auth_data.password.decode() == SMTP_PASSWORD
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on 127.0.0.1 (plain, with AUTH LOGIN/PLAIN allowed without TLS)."""
    with smtp_server_running(authenticator=_authenticator) as controller:
        yield controller
