"""Per-operation rules: what would rewrite an existing table, or lock it for long, in PostgreSQL 15.

Every migration runs once per company schema (`migrate_schemas`), so a lock that is short on
one table is paid again in every company, and a table that is small in one company is large
in another. "Existing" means the model's table was made by an earlier migration; a table made
in this migration (or in an earlier `initial` migration of the same app, which is created
together with it) is empty and anything goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres import operations as pg_operations
from django.db import connections, models
from django.db.migrations import Migration, operations
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ModelState, ProjectState
from django.db.models.functions import Now

from .fields import effective_default, field_column, field_target, has_fk_constraint, type_change_in_place
from .sql import SqlEffect, sql_effects, sql_statements

# rule name -> what it means (the baseline file and the messages use these names)
RULES = {
    "not-null-no-default": "a NOT NULL column without a default: fails on a table with rows",
    "volatile-default": "a column whose default is computed per row: rewrites the table",
    "type-change": "a column type change PostgreSQL cannot do in place: rewrites the table",
    "collation-change": "a collation change: rebuilds the column's indexes under an exclusive lock",
    "set-not-null": "SET NOT NULL without a validated CHECK (col IS NOT NULL): scans the table under an exclusive lock",
    "index": "an index built without CONCURRENTLY: blocks writes while it is built",
    "constraint": "a CHECK constraint validated at once: scans the table under an exclusive lock",
    "foreign-key": "a foreign key validated at once: scans the table and locks both tables against writes",
    "data-change": "rows changed inside the migration's transaction: locks them and rewrites them in one go",
    "sql-rewrite": "VACUUM FULL / CLUSTER / REINDEX: rewrites or locks the table",
    "concurrent-in-atomic": "a CONCURRENTLY operation in an atomic migration: fails (set atomic = False)",
}


@dataclass(frozen=True)
class Finding:
    """One rule an operation breaks: `index` is the operation's position in `migration.operations`."""

    app: str
    migration: str
    index: int
    rule: str
    operation: str
    table: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.app}.{self.migration} #{self.index} [{self.rule}] {self.operation} (table {self.table})"
        return f"{text}: {self.detail or RULES[self.rule]}"


@dataclass
class History:
    """What the walk remembers between migrations: models made by `initial` migrations per app,
    and CHECK constraints validated by an earlier migration ((table, constraint name))."""

    initial_models: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    validated: set[tuple[str, str]] = field(default_factory=set)
    not_null_checks: dict[tuple[str, str], str] = field(default_factory=dict)


def table_of(state: ProjectState, app_label: str, model_name: str) -> str:
    model = state.models.get((app_label, model_name.lower()))
    if model is not None and model.options.get("db_table"):
        return str(model.options["db_table"])
    return f"{app_label}_{model_name.lower()}"


class _Walk:
    """One migration's operations against the state before it (advanced as it goes)."""

    def __init__(self, migration: Migration, state: ProjectState, history: History) -> None:
        self.migration = migration
        self.app = migration.app_label
        self.state = state
        self.history = history
        self.created: set[tuple[str, str]] = set()
        self.created_tables: set[str] = set()
        self.validated_now: set[tuple[str, str]] = set()
        self.findings: list[Finding] = []
        self.index = 0
        self.operation: Operation | None = None

    # --- helpers -------------------------------------------------------------------------
    def fresh(self, key: tuple[str, str]) -> bool:
        if key in self.created:
            return True
        return bool(self.migration.initial) and key in self.history.initial_models.get(self.app, set())

    def model(self, model_name: str) -> tuple[tuple[str, str], ModelState | None]:
        key = (self.app, model_name.lower())
        return key, self.state.models.get(key)

    def existing(self, model_name: str) -> ModelState | None:
        """The model's state if its table exists before this migration and has a table of its own."""
        key, model = self.model(model_name)
        if model is None or self.fresh(key):
            return None
        if model.options.get("managed", True) is False or model.options.get("proxy"):
            return None
        return model

    def flag(self, rule: str, table: str, detail: str = "") -> None:
        assert self.operation is not None
        self.findings.append(
            Finding(self.app, self.migration.name, self.index, rule, self.operation.describe(), table, detail)
        )

    # --- the walk ------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        for index, op in enumerate(self.migration.operations):
            self.index, self.operation = index, op
            if isinstance(op, operations.SeparateDatabaseAndState):
                shadow = self.state.clone()
                for database_op in op.database_operations:
                    self.track(database_op)
                    self.check(database_op, shadow)
                    database_op.state_forwards(self.app, shadow)
                for state_op in op.state_operations:
                    self.track(state_op)
                    state_op.state_forwards(self.app, self.state)
            else:
                self.check(op, self.state)
                self.track(op)
                op.state_forwards(self.app, self.state)
        self.history.validated |= self.validated_now
        if self.migration.initial:
            self.history.initial_models.setdefault(self.app, set()).update(self.created)
        return self.findings

    def track(self, op: Operation) -> None:
        if isinstance(op, operations.CreateModel):
            self.created.add((self.app, op.name_lower))

    def check(self, op: Operation, state: ProjectState) -> None:
        saved, self.state = self.state, state
        try:
            self._check(op)
        finally:
            self.state = saved

    def _check(self, op: Operation) -> None:
        concurrent = (pg_operations.AddIndexConcurrently, pg_operations.RemoveIndexConcurrently)
        if isinstance(op, concurrent) and self.migration.atomic:
            self.flag("concurrent-in-atomic", table_of(self.state, self.app, op.model_name))
        if isinstance(op, operations.CreateModel):
            self.created_tables.add(table_of(self.state, self.app, op.name))
        elif isinstance(op, operations.AddField):
            self.add_field(op)
        elif isinstance(op, operations.AlterField):
            self.alter_field(op)
        elif isinstance(op, operations.AddIndex) and not isinstance(op, pg_operations.AddIndexConcurrently):
            if self.existing(op.model_name):
                self.flag("index", table_of(self.state, self.app, op.model_name))
        elif isinstance(op, pg_operations.AddConstraintNotValid):
            pass
        elif isinstance(op, pg_operations.ValidateConstraint):
            self.validated_now.add((table_of(self.state, self.app, op.model_name), op.name))
        elif isinstance(op, operations.AddConstraint):
            added: Any = op  # django-stubs leave out AddConstraint's attributes
            if self.existing(added.model_name):
                rule = "constraint" if isinstance(added.constraint, models.CheckConstraint) else "index"
                self.flag(rule, table_of(self.state, self.app, added.model_name))
        elif isinstance(op, operations.AlterUniqueTogether):
            model = self.existing(op.name)
            old = {tuple(fields) for fields in model.options.get("unique_together", ())} if model else set()
            if model and set(map(tuple, op.option_value or ())) - old:
                self.flag("index", table_of(self.state, self.app, op.name))
        elif isinstance(op, operations.RunSQL):
            self.run_sql(op)

    # --- fields --------------------------------------------------------------------------
    def add_field(self, op: operations.AddField) -> None:
        new: Any = op.field  # Any: django-stubs' Field has no db_index
        if not self.existing(op.model_name) or new.many_to_many:
            return
        table = table_of(self.state, self.app, op.model_name)
        db_default = getattr(new, "db_default", models.NOT_PROVIDED)
        if db_default is not models.NOT_PROVIDED and not isinstance(db_default, models.Value | Now):
            self.flag("volatile-default", table, f"db_default {db_default!r} may differ per row")
        elif isinstance(new, models.AutoField | models.BigAutoField | models.SmallAutoField):
            self.flag("volatile-default", table, "an identity column numbers every row")
        elif not new.null and db_default is models.NOT_PROVIDED and effective_default(new) is None:
            self.flag("not-null-no-default", table)
        if (new.db_index or new.unique) and not new.primary_key:
            self.flag("index", table, f"{new.name or op.name}: db_index/unique on an existing table")
        if has_fk_constraint(new):
            self.flag("foreign-key", table)

    def alter_field(self, op: operations.AlterField) -> None:
        model = self.existing(op.model_name)
        if model is None or op.name_lower not in {name.lower() for name in model.fields}:
            return
        old: Any = next(value for name, value in model.fields.items() if name.lower() == op.name_lower)
        new: Any = op.field
        if old.many_to_many or new.many_to_many:
            return
        table = table_of(self.state, self.app, op.model_name)
        old_type, new_type = self.column_type(old), self.column_type(new)
        if old_type != new_type and not type_change_in_place(old_type, new_type):
            self.flag("type-change", table, f"{op.name}: {old_type} -> {new_type}")
        elif getattr(old, "db_collation", None) != getattr(new, "db_collation", None):
            self.flag("collation-change", table, f"{op.name}: collation {getattr(new, 'db_collation', None)}")
        if old.null and not new.null and not self.not_null_checked(model, table, op.name, field_column(new, op.name)):
            self.flag("set-not-null", table, f"{op.name}: SET NOT NULL")
        if (new.db_index and not old.db_index) or (new.unique and not old.unique and not new.primary_key):
            self.flag("index", table, f"{op.name}: index/unique added on an existing table")
        if has_fk_constraint(new) and not (has_fk_constraint(old) and field_target(old) == field_target(new)):
            self.flag("foreign-key", table)

    def not_null_checked(self, model: ModelState, table: str, name: str, column: str) -> bool:
        """True when a CHECK (column IS NOT NULL) was validated by an earlier migration: PostgreSQL
        then sets NOT NULL without scanning the table."""
        for constraint in model.options.get("constraints", []):
            if (
                isinstance(constraint, models.CheckConstraint)
                and (table, constraint.name) in self.history.validated
                and constraint.condition == models.Q((f"{name}__isnull", False))
            ):
                return True
        return any(
            self.history.not_null_checks.get((table, name)) == column
            for (checked_table, name) in self.history.validated
            if checked_table == table
        )

    def column_type(self, field: Any) -> str:
        connection = connections["default"]
        if field.is_relation and (field.many_to_one or field.one_to_one):
            target = self.state.models.get(field_target(field))
            if target is None:
                return "?"
            to_field = field.to_fields[0] if field.to_fields and field.to_fields[0] else None
            for name, target_field in target.fields.items():
                if (to_field and name == to_field) or (not to_field and target_field.primary_key):
                    return str(target_field.rel_db_type(connection)).lower()
            return "bigint"  # the implicit id of DEFAULT_AUTO_FIELD (BigAutoField)
        return str(field.db_type(connection) or "").lower()

    # --- raw SQL -------------------------------------------------------------------------
    def run_sql(self, op: operations.RunSQL) -> None:
        tables = {table_of(self.state, app, name): (app, name) for app, name in self.state.models}
        for statement in sql_statements(op.sql):
            for effect in sql_effects(statement):
                if effect.kind == "creates":
                    self.created_tables.add(effect.table)
                elif effect.kind == "not-null-check":
                    name, column = effect.detail.split(" ")
                    self.history.not_null_checks[(effect.table, name)] = column
                elif effect.kind == "validates":
                    self.validated_now.add((effect.table, effect.detail))
                elif not self.sql_safe(effect, tables):
                    self.flag(effect.kind, effect.table or "?", effect.detail)

    def sql_safe(self, effect: SqlEffect, tables: dict[str, tuple[str, str]]) -> bool:
        if effect.table in self.created_tables or (effect.table in tables and self.fresh(tables[effect.table])):
            return True  # a table made in this migration is empty
        return effect.kind == "set-not-null" and any(
            self.history.not_null_checks.get((effect.table, name)) == effect.detail
            for (table, name) in self.history.validated
            if table == effect.table
        )


def migration_check(migration: Migration, state: ProjectState, history: History | None = None) -> list[Finding]:
    """The findings of one migration, given the project state before it (advanced to after it)."""
    return _Walk(migration, state, history or History()).run()
