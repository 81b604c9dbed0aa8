"""Pooled schemas are ordinary companies to `migrate_schemas` and are fully migrated."""

from __future__ import annotations

from django.db.migrations.loader import MigrationLoader

from tenants.db import connection
from tenants.models import Company, CompanyStatus
from tenants.pool import pool_schema_build
from tenants.template import TEMPLATE_SCHEMA


def _rows(sql: str, *params: object) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return set(cursor.fetchall())


def test_a_pooled_schema_has_every_table_and_applied_migration_of_a_migrated_company(companies, db):
    pooled = pool_schema_build()

    tables = "SELECT tablename FROM pg_tables WHERE schemaname = %s"
    assert _rows(tables, pooled.schema_name) == _rows(tables, "c_alfa")
    migrations = 'SELECT app, name FROM "{}".django_migrations'
    applied = _rows(migrations.format(pooled.schema_name))
    assert applied == _rows(migrations.format("c_alfa"))
    tenant_apps = {label for label, _name in applied}
    on_disk = {key for key in MigrationLoader(None, ignore_no_migrations=True).disk_migrations if key[0] in tenant_apps}
    assert applied >= on_disk  # nothing left for a newcomer to wait for


def test_migrate_schemas_covers_pooled_schemas(companies, db, monkeypatch):
    """When new migrations ship, `migrate_schemas` reaches pooled schemas like any company."""
    from django.core.management import call_command
    from django_tenants.migration_executors.standard import StandardExecutor

    reached: list[str] = []
    monkeypatch.setattr(StandardExecutor, "run_migrations", lambda self, tenants=None: reached.extend(tenants or []))

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0, executor="standard")

    pooled = set(Company.objects.filter(status=CompanyStatus.POOL).values_list("schema_name", flat=True))
    assert pooled
    assert pooled <= set(reached)
    assert TEMPLATE_SCHEMA not in reached  # the template is rebuilt from its migrations' fingerprint instead
