"""migrate_schemas asks each company schema for its django_migrations first and skips the ones
already at the target (tenants/migration_executor.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.migration_executor import executor_get, replay_plan, schemas_behind


@pytest.mark.django_db
def test_a_migrated_company_schema_is_not_behind_and_one_missing_a_migration_is(company_a, company_b):
    assert schemas_behind([company_a.schema_name, company_b.schema_name]) == []
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{company_b.schema_name}".django_migrations WHERE app = %s AND name = %s',
            ["sales", "0004_deal_owners_and_polish_order"],
        )
    assert schemas_behind([company_a.schema_name, company_b.schema_name]) == [company_b.schema_name]


@pytest.mark.django_db
def test_a_schema_without_migrations_table_is_behind(company_a):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "skip_test_empty"')
    assert schemas_behind(["skip_test_empty", company_a.schema_name]) == ["skip_test_empty"]


def test_migrate_schemas_uses_the_skipping_executor():
    from django.conf import settings

    assert settings.GET_EXECUTOR_FUNCTION == "tenants.migration_executor.executor_get"
    assert executor_get("standard").__name__ == "SkippingStandardExecutor"


@pytest.mark.django_db
def test_a_noop_migrate_schemas_over_companies_says_it_skipped_them(company_a, company_b, capsys):
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1, stdout=StringIO())
    assert "company schemas already at the target" in capsys.readouterr().out


def _forget(schemas: list[str], app: str, name: str, *sql: str) -> None:
    """Make `schemas` miss migration `app.name` again: undo its DDL (`sql`, formatted with the
    schema) and delete its django_migrations row."""
    with connection.cursor() as cursor:
        for schema in schemas:
            for statement in sql:
                cursor.execute(statement.format(schema=schema))
            cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [app, name])


def _column(schema: str, table: str, column: str) -> tuple[str, str | None] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_nullable, column_default FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = %s AND column_name = %s",
            [schema, table, column],
        )
        return cursor.fetchone()


DROP_VISIBLE = 'ALTER TABLE "{schema}".tasks_task DROP COLUMN visible_to_customer'


@pytest.mark.django_db
def test_schemas_missing_the_same_migration_get_one_plan_replayed_in_each(company_a, company_b, capsys):
    schemas = [company_a.schema_name, company_b.schema_name]
    _forget(schemas, "tasks", "0010_task_visible_to_customer", DROP_VISIBLE)
    assert _column(company_a.schema_name, "tasks_task", "visible_to_customer") is None

    plan = replay_plan(company_a.schema_name)
    assert plan is not None
    assert [(m.app_label, m.name) for m, _ in plan] == [("tasks", "0010_task_visible_to_customer")]
    assert any("ADD COLUMN" in sql and "visible_to_customer" in sql for sql in plan[0][1])

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1, stdout=StringIO())
    assert "one plan replayed in 2 company schemas" in capsys.readouterr().out
    for schema in schemas:
        # as Django's migrate leaves it: NOT NULL, the default only used to fill existing rows
        assert _column(schema, "tasks_task", "visible_to_customer") == ("NO", None)
    assert schemas_behind(schemas) == []


@pytest.mark.django_db
def test_a_schema_alone_behind_is_migrated_by_django_migrate(company_a, company_b, capsys):
    _forget([company_b.schema_name], "tasks", "0010_task_visible_to_customer", DROP_VISIBLE)
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1, stdout=StringIO())
    assert "replayed" not in capsys.readouterr().out
    assert _column(company_b.schema_name, "tasks_task", "visible_to_customer") == ("NO", None)
    assert schemas_behind([company_a.schema_name, company_b.schema_name]) == []


@pytest.mark.django_db
def test_a_plan_with_a_python_step_is_not_replayed(company_a):
    # expenses' first migration seeds categories in Python: no SQL can stand for it
    _forget([company_a.schema_name], "expenses", "0001_initial")
    assert replay_plan(company_a.schema_name) is None


@pytest.mark.django_db
def test_a_plan_whose_sql_depends_on_the_database_is_not_replayed(company_a):
    # dropping a unique_together looks the constraint's name up in the catalog first
    _forget([company_a.schema_name], "mfa", "0003_authenticator_type_uniq")
    assert replay_plan(company_a.schema_name) is None


def test_a_non_atomic_migration_is_replayed_statement_by_statement(committed):
    """A concurrent index cannot be built inside a transaction: the replay runs it as migrate
    would, outside one (so this test commits, and puts both schemas back in any case)."""
    schemas = [committed.a.schema_name, committed.b.schema_name]
    _forget(
        schemas,
        "tickets",
        "0002_custom_fields",
        'DROP INDEX "{schema}".ticket_custom_fields_gin',
        'ALTER TABLE "{schema}".tickets_ticket DROP COLUMN custom_fields',
    )
    try:
        plan = replay_plan(schemas[0])
        assert plan is not None
        [(migration, statements)] = plan
        assert migration.atomic is False
        assert any("CREATE INDEX CONCURRENTLY" in sql for sql in statements)
        out = StringIO()
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1, stdout=out)
    finally:
        if schemas_behind(schemas):
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        for schema in schemas:
            assert _column(schema, "tickets_ticket", "custom_fields") is not None
            cursor.execute(
                "SELECT indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
                [schema, "ticket_custom_fields_gin"],
            )
            assert cursor.fetchone() == (True,)
