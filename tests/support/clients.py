"""Test clients bound to one company's host."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_tenants.utils import schema_context

from crm.accounts.models import User
from tenants.db import connection
from tenants.models import Company
from tenants.urls_helpers import company_host
from tests.support.api_tokens import api_key_for


class TenantClient(Client):
    """A test client bound to one company's host; `login_as` stores the session in
    that company's schema, as a real login there would."""

    def __init__(self, company: Company, **kwargs: Any) -> None:
        self.company = company
        super().__init__(HTTP_HOST=company_host(company.subdomain or ""), **kwargs)

    def login_as(self, user: User) -> TenantClient:
        with schema_context(self.company.schema_name):
            self.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return self

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
