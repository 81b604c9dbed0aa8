"""`connection` typed for django-tenants: the proxy is the same object as
`django.db.connection`, but mypy learns it has set_tenant/schema_name/..."""

from __future__ import annotations

from typing import Any

from django.db import connection as _connection
from django_tenants.utils import get_public_schema_name

connection: Any = _connection


def on_public_schema() -> bool:
    """True when no company schema is active (the public site, the operator console,
    beat outside any company): the one place that knows what "public" is called."""
    return connection.schema_name in (None, "", get_public_schema_name())
