"""API keys for tests: `api_key_for(user)` gives a working `Authorization: Token KEY`
key of `user` in the active schema, the same key on every call (idempotent, as DRF's
`Token.objects.get_or_create` was), so helpers may call it before every request."""

from __future__ import annotations

import hashlib

from django_tenants.utils import schema_context

from crm.accounts.models import ApiToken, User
from crm.accounts.tokens import api_token_hash
from tenants.db import connection
from tenants.models import Company


def api_key_for(user: User) -> str:
    key = hashlib.sha256(f"imcrm-test:{connection.schema_name}:{user.pk}".encode()).hexdigest()[:40]
    ApiToken.objects.get_or_create(
        key_hash=api_token_hash(key), defaults={"user": user, "name": "test", "prefix": key[:8]}
    )
    return key


def api_headers(company: Company, user: User) -> dict[str, str]:
    """Request headers authenticating `user` by API token in `company` (for one-off calls;
    the `api_<rank>` fixtures of tests/fixtures.py are clients that send them always)."""
    with schema_context(company.schema_name):
        key = api_key_for(user)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}
