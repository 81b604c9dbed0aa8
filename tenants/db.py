"""`connection` typed for django-tenants: the proxy is the same object as
`django.db.connection`, but mypy learns it has set_tenant/schema_name/..."""

from __future__ import annotations

from typing import Any

from django.db import connection as _connection

connection: Any = _connection
