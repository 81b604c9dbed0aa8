"""System log events outlive a test's rollback (crm/systemlog/services.py writes them
through a connection of their own inside a transaction): clearing them, committed."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from crm.systemlog.models import SystemEvent
from tests.support.companies import BASE_SUBDOMAINS


def system_events_clear() -> None:
    default = connections[DEFAULT_DB_ALIAS]
    quote = default.ops.quote_name
    raw = default.get_new_connection(default.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT schema_name FROM tenants_company WHERE subdomain = ANY(%s)", [list(BASE_SUBDOMAINS)])
            for (schema,) in cursor.fetchall():
                cursor.execute(f"DELETE FROM {quote(schema)}.{quote(SystemEvent._meta.db_table)}")
    finally:
        raw.close()
