"""`migrate_schemas` skips company schemas that are already at the target.

django-tenants runs Django's `migrate` in every schema, and Django first introspects the
catalog (table lists scan every schema's rows), so a `migrate_schemas` with nothing to apply
grows with the square of the number of companies (../shared/PERFORMANCE-NOTES.md: 7 minutes over
431 schemas). Here each company schema is asked one short question first, its own
`django_migrations` rows (one statement per schema, Citus-safe), and only schemas missing a
migration on disk go to the executor django-tenants would use (`--executor`). With a target
(`app_label migration_name`), `--fake`, `--plan`, `--check` or `--prune` nothing is skipped.
Wired in by `GET_EXECUTOR_FUNCTION` in config/settings.py.
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


def executor_get(codename: str | None = None) -> Any:
    base: Any = get_executor(codename=codename)

    class SkippingExecutor(base):
        def run_migrations(self, tenants: Any = None) -> None:
            tenants = list(tenants or [])
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
