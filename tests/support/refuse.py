"""Make PostgreSQL refuse one kind of write, for "all or nothing" tests.

`db_refuses(schema, table, "INSERT")` adds a trigger that raises on every such
statement, so a service's later step fails for real (a real failing row, not a
patched Python function). Run it inside the test's transaction: the trigger goes
away with the rollback at the end of the test.
"""

from __future__ import annotations

import itertools

from tenants.db import connection

REFUSAL = "refused by the test"
_names = itertools.count(1)


def db_refuses(schema: str, table: str, operation: str = "INSERT", *, when: str = "") -> None:
    """From now on `operation` (INSERT, UPDATE or DELETE) on `schema.table` fails;
    `when` narrows it to rows matching an SQL condition on NEW/OLD."""
    assert operation in ("INSERT", "UPDATE", "DELETE")
    name = f"imcrm_test_refuse_{next(_names)}"
    condition = f"WHEN ({when})" if when else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE FUNCTION "{schema}".{name}() RETURNS trigger LANGUAGE plpgsql AS '
            f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
        )
        cursor.execute(
            f'CREATE TRIGGER {name} BEFORE {operation} ON "{schema}"."{table}" '
            f'FOR EACH ROW {condition} EXECUTE FUNCTION "{schema}".{name}()'
        )
