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

And it writes a plan once instead of once per schema. Company schemas at the same point (the
same `django_migrations` rows, the usual case after a release) need the same SQL, so when two
or more are behind together the SQL of what they lack is collected once (`collect_sql`, as
`sqlmigrate` does) in the first of them and then run in each schema with its `django_migrations`
rows: one transaction per schema, or statement by statement for a non-atomic migration
(concurrent indexes). Django's `migrate` per schema would load the graph, render the project
state and introspect the catalog again each time: about a second per company. A plan is only
replayed when it is plain SQL known in advance: it falls back to `migrate` per schema for a
Python step (RunPython), for a step whose SQL depends on what it reads from the database
(collecting it ran a query: constraint names of an AlterField, a foreign key to drop...), and for
a model renamed (content types are renamed by an injected Python step). When the plan creates,
deletes or changes the options of a model, `post_migrate` (content types, permissions) is sent
in each schema afterwards, as `migrate` would.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.db.migrations import operations as ops
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name, get_tenant_database_alias

_PASS_THROUGH = ("app_label", "migration_name", "fake", "fake_initial", "plan", "check_unapplied", "prune")


def migrations_on_disk() -> set[tuple[str, str]]:
    """Every migration node a fully migrated schema has recorded (squashes as the loader sees them)."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def applied_behind(schemas: list[str], *, alias: str | None = None) -> dict[str, frozenset[tuple[str, str]] | None]:
    """The schemas of `schemas` whose `django_migrations` lacks a migration on disk, in their
    order, each with the migrations it has (None: no such table yet)."""
    wanted = migrations_on_disk()
    connection: Any = connections[alias or get_tenant_database_alias()]
    behind: dict[str, frozenset[tuple[str, str]] | None] = {}
    with connection.cursor() as cursor:
        for schema in schemas:
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute(f"SELECT app, name FROM {connection.ops.quote_name(schema)}.django_migrations")  # noqa: S608
                    applied = frozenset(cursor.fetchall())
            except DatabaseError:
                behind[schema] = None
                continue
            if not wanted <= applied:
                behind[schema] = applied
    return behind


def schemas_behind(schemas: list[str], *, alias: str | None = None) -> list[str]:
    """The schemas of `schemas` whose `django_migrations` lacks a migration on disk (or which
    have no such table yet)."""
    return list(applied_behind(schemas, alias=alias))


Plan = list[tuple[Migration, list[str]]]

# Operations after which `migrate` has work for post_migrate (content types, permissions).
_MODEL_OPERATIONS = (ops.CreateModel, ops.DeleteModel, ops.AlterModelOptions)
_TRANSACTION_SQL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET ")


def _comment_only(statement: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("--") for line in statement.splitlines())


def replay_plan(schema: str, *, alias: str | None = None) -> Plan | None:
    """The SQL of every migration `schema` lacks, per migration, collected without changing
    anything; None when the plan cannot be replayed in another schema as it is (see the module's
    docstring)."""
    connection: Any = connections[alias or get_tenant_database_alias()]
    connection.set_schema(schema)
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan or any(backwards for _, backwards in plan):
            return None
        for migration, _ in plan:
            for operation in migration.operations:
                if not operation.reduces_to_sql or isinstance(operation, ops.RenameModel):
                    return None
        queried: list[str] = []

        def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if not str(sql).lstrip().upper().startswith(_TRANSACTION_SQL):
                queried.append(str(sql))
            return execute(sql, params, many, context)

        steps: Plan = []
        first = plan[0][0]
        state = executor.loader.project_state((first.app_label, first.name), at_end=False)
        with connection.execute_wrapper(watch):
            for migration, _ in plan:
                with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
                    state = migration.apply(state, editor, collect_sql=True)
                steps.append((migration, [sql for sql in editor.collected_sql if not _comment_only(sql)]))
        return None if queried else steps
    except Exception:  # anything unusual (a default the SQL cannot quote...): migrate per schema
        return None
    finally:
        connection.set_schema_to_public()


def _recorded(migration: Migration) -> list[tuple[str, str]]:
    return list(migration.replaces) if migration.replaces else [(migration.app_label, migration.name)]


def replay(plan: Plan, schema: str, *, alias: str | None = None) -> None:
    """Run `plan` in `schema` and record it there: in one transaction when every migration is
    atomic; otherwise each atomic migration in its own and a non-atomic one statement by
    statement, as `migrate` runs them."""
    from django.core.management.sql import emit_post_migrate_signal

    connection: Any = connections[alias or get_tenant_database_alias()]
    record = "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, now())"

    def run(migration: Migration, statements: list[str]) -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            cursor.executemany(record, _recorded(migration))

    connection.set_schema(schema)
    try:
        if all(migration.atomic for migration, _ in plan):
            with transaction.atomic(using=connection.alias):
                for migration, statements in plan:
                    run(migration, statements)
        else:
            for migration, statements in plan:
                if migration.atomic:
                    with transaction.atomic(using=connection.alias):
                        run(migration, statements)
                else:
                    run(migration, statements)
        if any(isinstance(op, _MODEL_OPERATIONS) for migration, _ in plan for op in migration.operations):
            emit_post_migrate_signal(0, False, connection.alias)
    finally:
        connection.set_schema_to_public()


def replay_groups(behind: dict[str, frozenset[tuple[str, str]] | None], *, alias: str | None = None) -> list[str]:
    """Replay one collected plan in every group of two or more schemas that are at the same
    point; returns the schemas left for `migrate` (groups of one, plans that cannot be replayed)."""
    groups: dict[frozenset[tuple[str, str]] | None, list[str]] = {}
    for schema, applied in behind.items():
        groups.setdefault(applied, []).append(schema)
    left: list[str] = []
    for applied, schemas in groups.items():
        plan = replay_plan(schemas[0], alias=alias) if applied is not None and len(schemas) > 1 else None
        if plan is None:
            left += schemas
            continue
        for schema in schemas:
            replay(plan, schema, alias=alias)
    return [schema for schema in behind if schema in set(left)]


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
            behind = applied_behind(companies, alias=self.options.get("database"))
            skipped = len(companies) - len(behind)
            if skipped and int(self.options.get("verbosity", 1)) >= 1:
                sys.stdout.write(
                    f"migrate_schemas: {skipped} of {len(companies)} company schemas already at the target\n"
                )
            left = set(replay_groups(behind, alias=self.options.get("database")))
            if len(left) < len(behind) and int(self.options.get("verbosity", 1)) >= 1:
                sys.stdout.write(f"migrate_schemas: one plan replayed in {len(behind) - len(left)} company schemas\n")
            behind = {schema: behind[schema] for schema in behind if schema in left}
            todo = [t for t in tenants if t == public or t in behind]
            if todo:
                super().run_migrations(tenants=todo)

    SkippingExecutor.__name__ = f"Skipping{base.__name__}"
    return SkippingExecutor
