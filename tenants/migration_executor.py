"""`migrate_schemas` skips company schemas that are already at the target.

django-tenants runs Django's `migrate` in every schema, and Django first introspects the
catalog (table lists scan every schema's rows), so a `migrate_schemas` with nothing to apply
grows with the square of the number of companies (../shared/PERFORMANCE-NOTES.md: 7 minutes over
431 schemas). Here each company schema is asked one short question first, its own
`django_migrations` rows (one statement per schema, Citus-safe), and only schemas missing a
migration on disk go to the executor django-tenants would use (`--executor`). With a target
(`app_label migration_name`), `--fake`, `--plan`, `--check` or `--prune` nothing is skipped.
Wired in by `GET_EXECUTOR_FUNCTION` in config/settings.py.

It also leaves out pool schemas still being built. A pool row is written before its
schema is built (so a crashed build can be found and dropped, `tenants.pool._pool_stale_drop`):
while a build runs, or after a crash, the row names a schema that does not exist yet or is
half-made, and migrating it would fail the whole deploy. A schema being built comes from
the template, which is migrated to the latest state.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name, get_tenant_database_alias

_PASS_THROUGH = ("app_label", "migration_name", "fake", "fake_initial", "plan", "check_unapplied", "prune")


def migrations_on_disk() -> set[tuple[str, str]]:
    """Every migration node a fully migrated schema has recorded (squashes as the loader sees them)."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def schemas_behind(schemas: list[str], *, alias: str | None = None) -> list[str]:
    """The schemas of `schemas` whose `django_migrations` lacks a migration on disk (or which
    have no such table yet)."""
    wanted = migrations_on_disk()
    connection = connections[alias or get_tenant_database_alias()]
    behind = []
    with connection.cursor() as cursor:
        for schema in schemas:
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute(f"SELECT app, name FROM {connection.ops.quote_name(schema)}.django_migrations")  # noqa: S608
                    applied = set(cursor.fetchall())
            except DatabaseError:
                behind.append(schema)
                continue
            if not wanted <= applied:
                behind.append(schema)
    return behind


def schemas_to_migrate(tenants: Any) -> list[str]:
    """`tenants` in their order, without pool schemas that are not built yet."""
    names = list(tenants or [])
    if not [name for name in names if name != get_public_schema_name()]:
        return names  # the public schema alone: the companies table may not exist yet
    from tenants.models import Company, CompanyStatus  # local: this module is loaded by settings' hook

    building = set(
        Company.objects.filter(status=CompanyStatus.POOL, is_ready=False, schema_name__in=names).values_list(
            "schema_name", flat=True
        )
    )
    return [name for name in names if name not in building]


def executor_get(codename: str | None = None) -> Any:
    base: Any = get_executor(codename=codename)

    class SkippingExecutor(base):
        def run_migrations(self, tenants: Any = None) -> None:
            tenants = schemas_to_migrate(tenants)
            public = get_public_schema_name()
            if any(self.options.get(name) for name in _PASS_THROUGH) or tenants in ([], [public]):
                super().run_migrations(tenants=tenants)
                return
            companies = [t for t in tenants if t != public]
            behind = set(schemas_behind(companies, alias=self.options.get("database")))
            skipped = len(companies) - len(behind)
            if skipped and int(self.options.get("verbosity", 1)) >= 1:
                sys.stdout.write(
                    f"migrate_schemas: {skipped} of {len(companies)} company schemas already at the target\n"
                )
            todo = [t for t in tenants if t == public or t in behind]
            if todo:
                super().run_migrations(tenants=todo)

    SkippingExecutor.__name__ = f"Skipping{base.__name__}"
    return SkippingExecutor
