from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User
from crm.settings.models import CompanySettings


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def in_a(company_a: Any) -> Callable[[], Any]:
    """Run ORM code in company A's schema: `with in_a(): ...`."""
    return lambda: schema_context(company_a.schema_name)


@pytest.fixture
def kierownik(company_a: Any) -> User:
    with schema_context(company_a.schema_name):
        return User.objects.create_user(
            "kierownik@alfa.test", "Haslo-testowe-123", name="Kamil Kierownik", role=Role.KIEROWNIK
        )


@pytest.fixture
def company_settings_a(company_a: Any) -> Callable[..., CompanySettings]:
    """Change company A's settings row: `company_settings_a(allowed_ips="10.0.0.0/8")`."""

    def change(**values: Any) -> CompanySettings:
        with schema_context(company_a.schema_name):
            row = CompanySettings.current()
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            return row

    return change


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
