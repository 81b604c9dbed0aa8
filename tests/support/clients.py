"""Test clients bound to one company's host."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django_tenants.utils import schema_context

from crm.accounts.models import User
from tenants.db import connection
from tenants.models import Company
from tenants.urls_helpers import company_host
from tests.support.api_tokens import api_key_for


@dataclass(frozen=True)
class _Kept:
    """What `login_kept` checks: the session a login made, as it left it, and its user."""

    user_pk: int
    session_key: str
    session_row: tuple[Any, ...] | None
    user_row: tuple[Any, ...] | None


class TenantClient(Client):
    """A test client bound to one company's host; `login_as` stores the session in
    that company's schema, as a real login there would."""

    def __init__(self, company: Company, **kwargs: Any) -> None:
        self.company = company
        self._kept: _Kept | None = None
        super().__init__(HTTP_HOST=company_host(company.subdomain or ""), **kwargs)

    def login_as(self, user: User) -> TenantClient:
        with schema_context(self.company.schema_name):
            self.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return self

    def login_kept(self, user: User) -> TenantClient:
        """`login_as` for loops that sign in again before every request (a request may
        have signed the user out): the session of the previous `login_kept` is sent again
        while its row and the user's password and active flag are still exactly as that
        login left them (a rolled-back savepoint restores them), else a new login. The
        requests see the same signed-in session either way; a login costs eight queries
        with writes (session, last_login, the activity log), this check two reads."""
        kept = self._kept
        if kept is not None and kept.user_pk == user.pk:
            session_row, user_row = self._login_state(kept.session_key, user)
            if session_row is not None and (session_row, user_row) == (kept.session_row, kept.user_row):
                self.cookies[settings.SESSION_COOKIE_NAME] = kept.session_key
                return self
        self.login_as(user)
        key = self.cookies[settings.SESSION_COOKIE_NAME].value
        self._kept = _Kept(user.pk, key, *self._login_state(key, user))
        return self

    def _login_state(self, session_key: str, user: User) -> tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]:
        with schema_context(self.company.schema_name):
            session_row = (
                Session.objects.filter(session_key=session_key).values_list("session_data", "expire_date").first()
            )
            user_row = User.objects.filter(pk=user.pk).values_list("password", "is_active").first()
        return session_row, user_row

    def request(self, **request: Any) -> Any:
        try:
            return super().request(**request)
        finally:
            connection.set_schema_to_public()


def api_client_for(company: Company, user: User) -> TenantClient:
    """A client of `company`'s host that sends `Authorization: Token KEY` of `user` with
    every request (a real API token row in the company's schema)."""
    with schema_context(company.schema_name):
        key = api_key_for(user)
    return TenantClient(company, HTTP_AUTHORIZATION=f"Token {key}")
