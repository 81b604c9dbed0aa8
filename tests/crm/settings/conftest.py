from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.crm.staff_fixtures import _media, company_settings_a, in_a, kierownik

__all__ = ["_media", "company_settings_a", "in_a", "kierownik"]


# --- a real local SMTP server (aiosmtpd) ------------------------------------------------------

SMTP_USER = "mailer@alfa.test"
SMTP_PASSWORD = "tajne-haslo-smtp-42"


class SmtpSink:
    """Stores every message the local server accepted."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


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
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port, authenticator=_authenticator, auth_require_tls=False)
    controller.start()
    controller.sink = sink  # type: ignore[attr-defined]
    try:
        yield controller
    finally:
        controller.stop()
