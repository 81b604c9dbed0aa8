"""`connection` typed for django-tenants: the proxy is the same object as
`django.db.connection`, but mypy learns it has set_tenant/schema_name/..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from django.db import connection as _connection
from django_tenants.utils import get_public_schema_name

if TYPE_CHECKING:
    from django.db.backends.postgresql.base import DatabaseWrapper

    from tenants.models import Company

    class SchemaOnlyTenant(Protocol):
        """django-tenants' `FakeTenant`: what `set_schema()`/`set_schema_to_public()` leave."""

        schema_name: str

    class TenantDatabaseWrapper(DatabaseWrapper):
        """What `django_tenants.postgresql_backend.base.DatabaseWrapper` adds to Django's
        PostgreSQL wrapper (django-tenants ships no type information)."""

        schema_name: str
        tenant: Company | SchemaOnlyTenant
        include_public_schema: bool

        def set_tenant(self, tenant: Company, include_public: bool = True) -> None: ...
        def set_schema(self, schema_name: str, include_public: bool = True, tenant_type: str | None = None) -> None: ...
        def set_schema_to_public(self) -> None: ...


connection = cast("TenantDatabaseWrapper", _connection)


def on_public_schema() -> bool:
    """True when no company schema is active (the public site, the operator console,
    beat outside any company): the one place that knows what "public" is called."""
    return connection.schema_name in (None, "", get_public_schema_name())
