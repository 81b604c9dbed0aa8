"""django-tenants' PostgreSQL backend with a schema editor that names every constraint it adds.

Citus (schema-based sharding, the scale-out path in deploy/SCALE.md) refuses
`ALTER TABLE ... ADD COLUMN ... CHECK (...)` and an inline `UNIQUE` ("all constraints in Citus
must have explicit names") and multi-statement strings, which Django writes for `AddField` of a
`Positive*Field`, of a `unique=True` field and of a foreign key (`...; SET CONSTRAINTS ...
IMMEDIATE`). Here `add_field` adds the bare column, then each constraint under its own name, one
statement each; and a RunSQL script runs statement by statement (sqlparse leaves some whole).
Used on plain PostgreSQL too, so what runs in development is what Citus gets;
tests/tenants/test_citus_safety.py holds the rule.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantsDatabaseWrapper

from tenants.sqlsplit import sql_statements


class DatabaseSchemaEditor(PostgresSchemaEditor):
    # A foreign key added with a column goes in as its own named ALTER TABLE (deferred_sql).
    sql_create_column_inline_fk = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bare_column = False

    def execute(self, sql: Any, params: Any = ()) -> None:
        """A script given without parameters (RunSQL) runs one statement at a time."""
        if not params and ";" in str(sql):
            statements = sql_statements(str(sql))
            if len(statements) > 1:
                for statement in statements:
                    super().execute(statement, params)
                return
        super().execute(sql, params)

    def _iter_column_sql(
        self, column_db_type: Any, params: Any, model: Any, field: Any, *args: Any, **kwargs: Any
    ) -> Any:
        parent: Any = super()
        for part in parent._iter_column_sql(column_db_type, params, model, field, *args, **kwargs):
            if self._bare_column and part == "UNIQUE":
                continue
            yield part

    def add_field(self, model: Any, field: Any) -> None:
        if field.many_to_many:
            super().add_field(model, field)
            return
        check = field.db_parameters(connection=self.connection)["check"]
        unique = field.unique and not field.primary_key
        self._bare_column = True
        self.sql_check_constraint = ""  # add_field appends `CHECK (...)` through this template
        try:
            super().add_field(model, field)
        finally:
            self._bare_column = False
            del self.sql_check_constraint  # back to the class's template
        if field.column is None:
            return
        table = model._meta.db_table
        editor: Any = self  # django-stubs leave these private helpers out
        if check:
            name = editor._create_index_name(table, [field.column], suffix="_check")
            self.execute(editor._create_check_sql(model, name, check))
        if unique:
            name = editor._create_index_name(table, [field.column], suffix="_uniq")
            self.execute(editor._create_unique_sql(model, [field], name=name))


class DatabaseWrapper(TenantsDatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
