"""Migrations stay safe on large company tables (docs/migrations.md): the checker flags what would
rewrite an existing table or lock it for long, and the project's migrations have no finding that
was not reviewed. No database: the checker reads migration files and in-memory states only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.postgres.functions import RandomUUID
from django.contrib.postgres.operations import (
    AddConstraintNotValid,
    AddIndexConcurrently,
    RemoveIndexConcurrently,
    ValidateConstraint,
)
from django.core.management import call_command
from django.db import migrations, models
from django.db.migrations.state import ProjectState
from django.db.models.functions import Now

from tenants.migration_safety import (
    PROJECT_PACKAGES,
    BaselineEntry,
    Finding,
    History,
    baseline_compare,
    baseline_load,
    migration_check,
    project_findings,
)

APP = "contacts"


def _migration(*operations, name="0099_change", atomic=True, initial=False):
    attrs = {"operations": list(operations), "atomic": atomic, "initial": initial}
    return type("Migration", (migrations.Migration,), attrs)(name, APP)


def _widget_created():
    """A state where contacts.Widget was made by an earlier migration (an existing table)."""
    state, history = ProjectState(), History()
    created = migrations.CreateModel(
        "Widget",
        [
            ("id", models.BigAutoField(primary_key=True)),
            ("name", models.CharField(max_length=100, null=True)),
            ("amount", models.IntegerField()),
            ("price", models.DecimalField(max_digits=10, decimal_places=2)),
            ("code", models.CharField(max_length=20)),
        ],
    )
    migration_check(_migration(created, name="0098_widget"), state, history)
    return state, history


def _rules(*operations, atomic=True):
    state, history = _widget_created()
    return [finding.rule for finding in migration_check(_migration(*operations, atomic=atomic), state, history)]


# --- the project's migrations --------------------------------------------------------------


@pytest.fixture(scope="module")
def findings():
    return project_findings()


def test_project_migrations_have_no_unreviewed_finding(findings):
    new, _stale = baseline_compare(findings, baseline_load())
    assert not new, (
        "These migration operations would rewrite or lock an existing table in every company schema; "
        "make them safe (docs/migrations.md):\n" + "\n".join(str(finding) for finding in new)
    )


def test_every_baseline_entry_still_matches_a_migration(findings):
    _new, stale = baseline_compare(findings, baseline_load())
    assert not stale, "Baseline entries that match nothing any more; remove them:\n" + "\n".join(map(str, stale))


def test_every_baseline_group_gives_a_reason():
    entries = baseline_load()
    assert entries
    assert all(len(entry.reason) > 40 for entry in entries)


def test_only_this_projects_migrations_are_checked(findings):
    labels = {finding.app for finding in findings}
    assert labels
    assert all(apps.get_app_config(label).name.split(".")[0] in PROJECT_PACKAGES for label in labels)


def test_a_new_finding_and_a_stale_entry_are_both_reported():
    finding = Finding("contacts", "0099_x", 0, "index", "Create index x", "contacts_customer")
    entry = BaselineEntry("contacts", "0001_initial", 3, "index", "Create index y", "reviewed")
    new, stale = baseline_compare([finding], [entry])
    assert new == [finding]
    assert stale == [entry]
    matching = BaselineEntry("contacts", "0099_x", 0, "index", "Create index x", "reviewed")
    assert baseline_compare([finding], [matching]) == ([], [])


def test_not_null_column_on_a_real_existing_table_is_flagged():
    state, history = ProjectState.from_apps(apps), History()
    found = migration_check(_migration(migrations.AddField("customer", "score", models.IntegerField())), state, history)
    assert [(finding.rule, finding.table) for finding in found] == [("not-null-no-default", "contacts_customer")]


# --- adding columns ----------------------------------------------------------------------


def test_not_null_column_without_default_on_an_existing_table_is_flagged():
    assert _rules(migrations.AddField("widget", "score", models.IntegerField())) == ["not-null-no-default"]


@pytest.mark.parametrize(
    "field",
    [
        models.IntegerField(null=True),
        models.IntegerField(default=0),
        models.IntegerField(db_default=models.Value(0)),
        models.CharField(max_length=10, blank=True),
        models.DateTimeField(db_default=Now()),
        models.DateTimeField(auto_now_add=True),
    ],
    ids=["nullable", "constant-default", "constant-db-default", "blank-text", "now-db-default", "auto-now-add"],
)
def test_nullable_or_constant_default_column_passes(field):
    assert _rules(migrations.AddField("widget", "extra", field)) == []


def test_column_with_a_per_row_db_default_is_flagged():
    field = models.UUIDField(db_default=RandomUUID())
    assert _rules(migrations.AddField("widget", "token", field)) == ["volatile-default"]


def test_column_and_index_on_a_table_made_in_the_same_migration_pass():
    operations = [
        migrations.CreateModel("Gadget", [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddField("gadget", "score", models.IntegerField()),
        migrations.AddField("gadget", "widget", models.ForeignKey("contacts.widget", models.CASCADE)),
        migrations.AddIndex("gadget", models.Index(fields=["score"], name="gadget_score_idx")),
        migrations.AddConstraint("gadget", models.CheckConstraint(condition=models.Q(score__gte=0), name="gadget_pos")),
    ]
    assert _rules(*operations) == []


def test_tables_of_the_apps_initial_migrations_count_as_new_in_a_later_initial_migration():
    state, history = ProjectState(), History()
    made = migrations.CreateModel("Gadget", [("id", models.BigAutoField(primary_key=True))])
    migration_check(_migration(made, name="0001_initial", initial=True), state, history)
    link = migrations.AddField("gadget", "score", models.IntegerField())
    assert migration_check(_migration(link, name="0002_initial", initial=True), state, history) == []


def test_foreign_key_added_to_an_existing_table_is_flagged_for_its_check_and_its_index():
    field = models.ForeignKey("contacts.widget", models.SET_NULL, null=True)
    assert _rules(migrations.AddField("widget", "parent", field)) == ["index", "foreign-key"]


def test_foreign_key_added_in_safe_steps_passes():
    plain = models.ForeignKey("contacts.widget", models.SET_NULL, null=True, db_index=False, db_constraint=False)
    checked = models.ForeignKey("contacts.widget", models.SET_NULL, null=True, db_index=False)
    add_sql = (
        "ALTER TABLE contacts_widget ADD CONSTRAINT widget_parent_fk FOREIGN KEY (parent_id)"
        " REFERENCES contacts_widget (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
    )
    state, history = _widget_created()
    steps = [
        _migration(migrations.AddField("widget", "parent", plain)),
        _migration(
            AddIndexConcurrently("widget", models.Index(fields=["parent"], name="widget_parent_idx")), atomic=False
        ),
        _migration(
            migrations.SeparateDatabaseAndState(
                state_operations=[migrations.AlterField("widget", "parent", checked)],
                database_operations=[migrations.RunSQL(add_sql)],
            )
        ),
        _migration(migrations.RunSQL("ALTER TABLE contacts_widget VALIDATE CONSTRAINT widget_parent_fk")),
    ]
    assert [migration_check(migration, state, history) for migration in steps] == [[], [], [], []]


def test_foreign_key_turned_on_by_alter_field_is_flagged():
    state, history = _widget_created()
    plain = models.ForeignKey("contacts.widget", models.SET_NULL, null=True, db_index=False, db_constraint=False)
    migration_check(_migration(migrations.AddField("widget", "parent", plain)), state, history)
    checked = models.ForeignKey("contacts.widget", models.SET_NULL, null=True, db_index=False)
    found = migration_check(_migration(migrations.AlterField("widget", "parent", checked)), state, history)
    assert [finding.rule for finding in found] == ["foreign-key"]


def test_unique_column_added_to_an_existing_table_is_flagged():
    assert _rules(migrations.AddField("widget", "slug", models.SlugField(null=True, unique=True))) == ["index"]


# --- changing columns --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("code", models.IntegerField()),
        ("code", models.CharField(max_length=10)),
        ("amount", models.BigIntegerField()),
        ("price", models.DecimalField(max_digits=10, decimal_places=3)),
    ],
    ids=["varchar-to-integer", "shorter-varchar", "integer-to-bigint", "more-decimal-places"],
)
def test_type_change_that_rewrites_is_flagged(name, field):
    assert _rules(migrations.AlterField("widget", name, field)) == ["type-change"]


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("code", models.CharField(max_length=200)),
        ("code", models.TextField()),
        ("price", models.DecimalField(max_digits=14, decimal_places=2)),
        ("amount", models.IntegerField(default=5)),
    ],
    ids=["longer-varchar", "varchar-to-text", "more-digits", "python-default-only"],
)
def test_change_made_in_place_passes(name, field):
    assert _rules(migrations.AlterField("widget", name, field)) == []


def test_collation_change_is_flagged():
    field = models.CharField(max_length=20, db_collation="pl-x-icu")
    assert _rules(migrations.AlterField("widget", "code", field)) == ["collation-change"]


def test_set_not_null_on_an_existing_column_is_flagged():
    assert _rules(migrations.AlterField("widget", "name", models.CharField(max_length=100))) == ["set-not-null"]


def test_set_not_null_after_a_check_validated_in_an_earlier_migration_passes():
    state, history = _widget_created()
    check = models.CheckConstraint(condition=models.Q(name__isnull=False), name="widget_name_not_null")
    steps = [
        [AddConstraintNotValid("widget", check)],
        [ValidateConstraint("widget", "widget_name_not_null")],
        [migrations.AlterField("widget", "name", models.CharField(max_length=100))],
    ]
    found = [migration_check(_migration(*operations), state, history) for operations in steps]
    assert found == [[], [], []]


def test_set_not_null_after_an_unvalidated_check_is_flagged():
    state, history = _widget_created()
    check = models.CheckConstraint(condition=models.Q(name__isnull=False), name="widget_name_not_null")
    migration_check(_migration(AddConstraintNotValid("widget", check)), state, history)
    alter = migrations.AlterField("widget", "name", models.CharField(max_length=100))
    assert [finding.rule for finding in migration_check(_migration(alter), state, history)] == ["set-not-null"]


def test_index_added_to_an_existing_column_is_flagged():
    assert _rules(migrations.AlterField("widget", "code", models.CharField(max_length=20, db_index=True))) == ["index"]


# --- indexes and constraints -------------------------------------------------------------


def test_index_on_an_existing_table_is_flagged():
    assert _rules(migrations.AddIndex("widget", models.Index(fields=["code"], name="widget_code_idx"))) == ["index"]


def test_concurrent_index_in_a_non_atomic_migration_passes():
    index = models.Index(fields=["code"], name="widget_code_idx")
    assert _rules(AddIndexConcurrently("widget", index), atomic=False) == []


def test_concurrent_index_operations_in_an_atomic_migration_are_flagged():
    index = models.Index(fields=["code"], name="widget_code_idx")
    assert _rules(AddIndexConcurrently("widget", index)) == ["concurrent-in-atomic"]
    assert _rules(AddIndexConcurrently("widget", index), RemoveIndexConcurrently("widget", "widget_code_idx")) == [
        "concurrent-in-atomic",
        "concurrent-in-atomic",
    ]


def test_constraints_on_an_existing_table_are_flagged():
    check = models.CheckConstraint(condition=models.Q(amount__gte=0), name="widget_amount_pos")
    unique = models.UniqueConstraint(fields=["code"], name="widget_code_unique")
    assert _rules(migrations.AddConstraint("widget", check)) == ["constraint"]
    assert _rules(migrations.AddConstraint("widget", unique)) == ["index"]
    assert _rules(migrations.AlterUniqueTogether("widget", {("code", "amount")})) == ["index"]


def test_check_constraint_added_not_valid_then_validated_passes():
    check = models.CheckConstraint(condition=models.Q(amount__gte=0), name="widget_amount_pos")
    assert _rules(AddConstraintNotValid("widget", check)) == []
    assert _rules(ValidateConstraint("widget", "widget_amount_pos")) == []


# --- raw SQL -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("ALTER TABLE contacts_widget ALTER COLUMN amount TYPE bigint", "type-change"),
        ("ALTER TABLE contacts_widget ALTER COLUMN name SET NOT NULL", "set-not-null"),
        ("CREATE INDEX widget_code_idx ON contacts_widget (code)", "index"),
        ("CREATE UNIQUE INDEX IF NOT EXISTS widget_code_uq ON public.contacts_widget (code)", "index"),
        ("ALTER TABLE contacts_widget ADD COLUMN score integer NOT NULL", "not-null-no-default"),
        ("ALTER TABLE contacts_widget ADD COLUMN token uuid DEFAULT gen_random_uuid()", "volatile-default"),
        ("ALTER TABLE contacts_widget ADD CONSTRAINT widget_pos CHECK (amount >= 0)", "constraint"),
        ("ALTER TABLE contacts_widget ADD CONSTRAINT widget_code_uq UNIQUE (code)", "index"),
        ("ALTER TABLE contacts_widget ADD UNIQUE (code)", "index"),
        ("ALTER TABLE contacts_widget ADD CHECK (amount >= 0)", "constraint"),
        ("ALTER TABLE contacts_widget ADD COLUMN parent_id bigint REFERENCES contacts_widget (id)", "foreign-key"),
        ("ALTER TABLE contacts_widget ADD FOREIGN KEY (amount) REFERENCES contacts_widget (id)", "foreign-key"),
        ("UPDATE contacts_widget SET amount = 0 WHERE amount IS NULL", "data-change"),
        ("VACUUM FULL contacts_widget", "sql-rewrite"),
    ],
)
def test_raw_sql_that_rewrites_or_locks_an_existing_table_is_flagged(sql, rule):
    assert _rules(migrations.RunSQL(sql, migrations.RunSQL.noop)) == [rule]


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE INDEX CONCURRENTLY widget_code_idx ON contacts_widget (code)",
        "ALTER TABLE contacts_widget ADD COLUMN score integer NOT NULL DEFAULT 0",
        "ALTER TABLE contacts_widget ADD COLUMN note text",
        "ALTER TABLE contacts_widget ADD CONSTRAINT widget_pos CHECK (amount >= 0) NOT VALID",
        "ALTER TABLE contacts_widget VALIDATE CONSTRAINT widget_pos",
        "ALTER TABLE contacts_widget ADD CONSTRAINT widget_code_uq UNIQUE USING INDEX widget_code_idx",
        "CREATE TABLE contacts_totals (id bigint PRIMARY KEY, n integer); CREATE INDEX totals_n ON contacts_totals (n);"
        " UPDATE contacts_totals SET n = 0",
        "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN UPDATE contacts_widget SET amount = 1;"
        " RETURN NULL; END $fn$; -- UPDATE contacts_widget in a comment",
        "ANALYZE contacts_widget",
    ],
    ids=[
        "index-concurrently",
        "constant-default",
        "nullable",
        "not-valid",
        "validate",
        "unique-using-index",
        "table-made-here",
        "function-body",
        "analyze",
    ],
)
def test_raw_sql_that_stays_safe_passes(sql):
    assert _rules(migrations.RunSQL(sql, migrations.RunSQL.noop), atomic="CONCURRENTLY" not in sql) == []


def test_raw_sql_set_not_null_after_a_validated_not_valid_check_passes():
    state, history = _widget_created()
    add = "ALTER TABLE contacts_widget ADD CONSTRAINT widget_name_nn CHECK (name IS NOT NULL) NOT VALID"
    steps = [
        add,
        "ALTER TABLE contacts_widget VALIDATE CONSTRAINT widget_name_nn",
        "ALTER TABLE contacts_widget ALTER COLUMN name SET NOT NULL",
    ]
    found = [migration_check(_migration(migrations.RunSQL(sql)), state, history) for sql in steps]
    assert found == [[], [], []]


def test_the_command_reports_no_unreviewed_finding():
    out = StringIO()
    call_command("migrations_safety", stdout=out)
    assert "0 not reviewed, 0 stale" in out.getvalue()
