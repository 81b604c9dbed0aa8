"""The rules that keep the door to Citus schema-based sharding open (deploy/SCALE.md), checked on
plain PostgreSQL: Citus puts each company schema on a node of its own and refuses what these
tests forbid.

1. Every constraint a migration adds has an explicit name, one statement each (the schema editor
   of tenants/postgresql_backend).
2. No DDL inside a DO block or a PL/pgSQL function, in migrations or in the template replay
   (Citus leaves such tables local on the coordinator, silently).
3. No foreign key from one schema to another (public included).
4. No statement reads more than one company schema (the operator's cross-company reads ask one
   schema at a time).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, models
from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from billing_saas.selectors import company_usage
from tenants.migration_safety import PROJECT_PACKAGES
from tenants.models import Company
from tenants.pool import pool_schema_build
from tenants.postgresql_backend.base import DatabaseSchemaEditor
from tenants.selectors import companies_for_email
from tenants.sqlsplit import sql_statements
from tenants.template import TEMPLATE_SCHEMA, _dump, replay_statements, template_ensure

# --- 1. named constraints --------------------------------------------------------------------

_GADGET = [
    operations.CreateModel("CitusGadget", [("id", models.BigAutoField(primary_key=True))]),
    operations.AddField("citusgadget", "score", models.PositiveIntegerField(default=0)),
    operations.AddField("citusgadget", "code", models.CharField(max_length=20, null=True, unique=True)),
    operations.AddField("citusgadget", "parent", models.ForeignKey("contacts.citusgadget", models.SET_NULL, null=True)),
]


def _apply(editor) -> None:
    state = ProjectState()
    for operation in _GADGET:
        new = state.clone()
        operation.state_forwards("contacts", new)
        operation.database_forwards("contacts", editor, state, new)
        state = new


def test_the_database_uses_the_schema_editor_that_names_constraints():
    assert settings.DATABASES["default"]["ENGINE"] == "tenants.postgresql_backend"
    assert connection.SchemaEditorClass is DatabaseSchemaEditor


def test_add_field_adds_the_bare_column_then_each_constraint_by_name(company_a):
    with schema_context(company_a.schema_name), connection.schema_editor(collect_sql=True) as editor:
        _apply(editor)
    added = [sql for sql in editor.collected_sql if "ADD COLUMN" in sql]
    assert len(added) == 3
    for sql in added:
        assert not re.search(r"\b(CHECK|UNIQUE|REFERENCES|CONSTRAINT)\b", sql), sql
    constraints = [sql for sql in editor.collected_sql if "ADD CONSTRAINT" in sql]
    assert [re.search(r"\b(CHECK|UNIQUE|FOREIGN KEY)\b", sql)[1] for sql in constraints] == [  # type: ignore[index]
        "CHECK",
        "UNIQUE",
        "FOREIGN KEY",
    ]
    # One statement per string: Citus refuses multi-statement strings forwarded to workers.
    assert not [sql for sql in editor.collected_sql if ";" in sql.rstrip().rstrip(";")]


@pytest.mark.django_db
def test_constraints_added_with_a_column_exist_under_their_own_names(company_a):
    with schema_context(company_a.schema_name):
        with connection.schema_editor() as editor:
            _apply(editor)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT contype, conname FROM pg_constraint WHERE conrelid = 'contacts_citusgadget'::regclass"
                " ORDER BY contype"
            )
            found = dict(cursor.fetchall())
    assert set(found) == {"c", "f", "p", "u"}
    assert found["c"].endswith("_check")
    assert found["u"].endswith("_uniq")
    assert "_fk_" in found["f"]


@pytest.mark.django_db
def test_a_raw_sql_script_runs_one_statement_at_a_time(company_a):
    from crm.sales import deal_owners

    assert len(connection.ops.prepare_sql_script(deal_owners.TRIGGERS_SQL)) == 1  # sqlparse leaves it whole
    run = operations.RunSQL(deal_owners.TRIGGERS_SQL)
    with (
        schema_context(company_a.schema_name),
        CaptureQueriesContext(connection) as captured,
        connection.schema_editor() as editor,
    ):
        run.database_forwards("sales", editor, ProjectState(), ProjectState())
    ran = [q["sql"] for q in captured.captured_queries if "TRIGGER" in q["sql"]]
    assert len(ran) == 6
    assert all(sql_statements(sql) == [sql.strip().rstrip(";")] for sql in ran)


def _project_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        if migration.__module__.split(".")[0] in PROJECT_PACKAGES:
            yield f"{app_label}.{name}", migration


def _raw_sql(operation) -> list[str]:
    if isinstance(operation, operations.RunSQL):
        parts = operation.sql if isinstance(operation.sql, list | tuple) else [operation.sql]
        return [part if isinstance(part, str) else part[0] for part in parts]
    if isinstance(operation, operations.SeparateDatabaseAndState):
        return [sql for inner in operation.database_operations for sql in _raw_sql(inner)]
    return []


_UNNAMED = re.compile(
    r"\bADD\s+(COLUMN\b[^;]*?\b(CHECK|UNIQUE|REFERENCES|PRIMARY\s+KEY)\b|(CHECK|UNIQUE|FOREIGN\s+KEY|PRIMARY\s+KEY)\b)",
    re.IGNORECASE | re.DOTALL,
)


def test_raw_sql_in_migrations_names_every_constraint_it_adds():
    unnamed = [
        f"{label}: {sql[:120]}"
        for label, migration in _project_migrations()
        for operation in migration.operations
        for sql in _raw_sql(operation)
        if _UNNAMED.search(sql)
    ]
    assert not unnamed, "Name the constraint (ADD CONSTRAINT name ...):\n" + "\n".join(unnamed)


def test_the_unnamed_constraint_pattern_catches_what_citus_refuses():
    assert _UNNAMED.search("ALTER TABLE t ADD COLUMN n integer CHECK (n >= 0)")
    assert _UNNAMED.search("alter table t add column c varchar(5) unique")
    assert _UNNAMED.search("ALTER TABLE t ADD UNIQUE (c)")
    assert _UNNAMED.search("ALTER TABLE t ADD FOREIGN KEY (p) REFERENCES t (id)")
    assert not _UNNAMED.search("ALTER TABLE t ADD CONSTRAINT t_c_uniq UNIQUE (c)")
    assert not _UNNAMED.search("ALTER TABLE t ADD COLUMN n integer NOT NULL DEFAULT 0")


# --- 2. no DDL inside PL/pgSQL -----------------------------------------------------------------

_DDL = re.compile(r"\b(CREATE|ALTER|DROP)\s+(TABLE|INDEX|SCHEMA|SEQUENCE|VIEW|TYPE)\b", re.IGNORECASE)
_BODY = re.compile(r"(\$[A-Za-z_]*\$)(.*?)\1", re.DOTALL)


def ddl_in_procedural_code(sql: str) -> list[str]:
    """Dollar-quoted bodies (DO blocks, functions) that create, alter or drop a relation."""
    return [body.strip()[:120] for _tag, body in _BODY.findall(sql) if _DDL.search(body)]


def test_the_procedural_ddl_check_finds_ddl_in_a_do_block_or_a_function():
    assert ddl_in_procedural_code("DO $$ BEGIN CREATE TABLE x (id bigint); END $$;")
    assert ddl_in_procedural_code(
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN EXECUTE 'x'; ALTER TABLE t ADD c int; END $fn$"
    )
    assert not ddl_in_procedural_code(
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := 1; RETURN NEW; END $$"
    )


def test_migrations_run_no_ddl_inside_procedural_code():
    found = [
        f"{label}: {body}"
        for label, migration in _project_migrations()
        for operation in migration.operations
        for sql in _raw_sql(operation)
        for body in ddl_in_procedural_code(sql)
    ]
    assert not found, "DDL inside a DO block or function stays local under Citus:\n" + "\n".join(found)


@pytest.mark.django_db
def test_the_template_replay_runs_no_ddl_inside_procedural_code():
    sql = _dump(template_ensure())
    assert sql is not None and f"CREATE TABLE {TEMPLATE_SCHEMA}." in sql
    assert not re.search(r"^\s*DO\s", sql, re.MULTILINE | re.IGNORECASE)
    assert not ddl_in_procedural_code(sql)


# --- 3. no foreign keys across schemas -----------------------------------------------------------


@pytest.mark.django_db
def test_no_foreign_key_crosses_schemas(company_a, company_b):
    template_ensure()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, c.conrelid::regclass::text, c.conname, fn.nspname
            FROM pg_constraint c
            JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
            JOIN pg_class fr ON fr.oid = c.confrelid JOIN pg_namespace fn ON fn.oid = fr.relnamespace
            WHERE c.contype = 'f' AND n.nspname <> fn.nspname
            """
        )
        crossing = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid"
            " JOIN pg_namespace n ON n.oid = r.relnamespace WHERE c.contype = 'f' AND n.nspname = ANY(%s)",
            [[company_a.schema_name, TEMPLATE_SCHEMA, "public"]],
        )
        checked = cursor.fetchone()[0]
    assert checked > 50  # the company's and the public schema's own foreign keys were looked at
    assert crossing == []


def test_company_models_point_only_at_company_models_and_public_ones_only_at_public_ones():
    from django.apps import apps

    shared = {name.rsplit(".", 1)[-1] for name in settings.SHARED_APPS}
    tenant = {name.rsplit(".", 1)[-1] for name in settings.TENANT_APPS}
    wrong = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.app_label
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and getattr(field, "db_constraint", False)):
                continue
            related: Any = field.related_model
            target = related._meta.app_label
            if label in tenant and label not in shared and target not in tenant:
                wrong.append(f"{model._meta.label}.{field.name} -> {related._meta.label} (public)")
            if label in shared and label not in tenant and target not in shared:
                wrong.append(f"{model._meta.label}.{field.name} -> {related._meta.label} (company)")
    assert not wrong, "Refer to rows of the other side by id, without a foreign key:\n" + "\n".join(wrong)


# --- 4. one company schema per statement ---------------------------------------------------------


def company_schemas_per_statement(queries, schemas: set[str]) -> list[tuple[set[str], str]]:
    """(schemas, sql) of every captured statement that names more than one company schema."""
    pattern = re.compile(r'"?\b(' + "|".join(map(re.escape, sorted(schemas))) + r')\b"?\.')
    found = []
    for query in queries:
        named = set(pattern.findall(query["sql"]))
        if len(named) > 1:
            found.append((named, query["sql"][:200]))
    return found


def test_the_statement_check_sees_a_union_over_two_schemas():
    queries = [{"sql": 'SELECT 1 FROM "alfa".accounts_user UNION ALL SELECT 1 FROM "beta".accounts_user'}]
    assert company_schemas_per_statement(queries, {"alfa", "beta"})
    assert not company_schemas_per_statement([{"sql": 'SELECT 1 FROM "alfa".accounts_user'}], {"alfa", "beta"})


@pytest.mark.django_db
def test_cross_company_reads_ask_one_company_schema_per_statement(company_a, company_b):
    Company.objects.filter(pk__in=[company_a.pk, company_b.pk]).exclude(owner_email_confirmed_at__isnull=False).update(
        owner_email_confirmed_at=company_a.created_at
    )
    schemas = set(Company.objects.values_list("schema_name", flat=True))
    with CaptureQueriesContext(connection) as captured:
        usage = company_usage([company_a.schema_name, company_b.schema_name])
        found = companies_for_email(email="szef@alfa.test")
    assert set(usage) == {company_a.schema_name, company_b.schema_name}
    assert [c.pk for c in found] == [company_a.pk]
    assert company_schemas_per_statement(captured.captured_queries, schemas) == []


# --- the template replay, as Citus takes it ------------------------------------------------------


def test_the_statement_splitter_keeps_quoted_semicolons_together():
    sql = "INSERT INTO t VALUES ('a;b', 'it''s; fine');\n-- a comment; here\nCREATE TABLE \"x;y\" (id int);"
    assert sql_statements(sql) == ["INSERT INTO t VALUES ('a;b', 'it''s; fine')", 'CREATE TABLE "x;y" (id int)']


@pytest.mark.django_db
def test_the_replay_runs_single_statements_with_identity_columns_made_in_create_table():
    statements = replay_statements(_dump(template_ensure()) or "")
    assert len(statements) > 100
    assert not [s for s in statements if "ADD GENERATED" in s]
    assert not [s for s in statements if sql_statements(s) != [s]]
    assert [s for s in statements if s.startswith("CREATE TABLE") and "GENERATED BY DEFAULT AS IDENTITY" in s]


@pytest.mark.django_db
def test_a_replayed_schema_has_the_templates_identity_columns():
    pooled = pool_schema_build()

    def identities(schema: str) -> list[tuple[str, str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(n.nspname) || '.' || c.relname,"
                " a.attname) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND a.attidentity = 'd'"
                " ORDER BY 1, 2",
                [schema],
            )
            return [(t, col, (seq or "").split(".")[-1]) for t, col, seq in cursor.fetchall()]

    made, template = identities(pooled.schema_name), identities(TEMPLATE_SCHEMA)
    assert len(made) > 50
    assert made == template
