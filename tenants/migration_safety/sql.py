"""What a RunSQL statement does to the tables it names, read from its text (best effort).

Only the statements that run at migration time count: dollar-quoted bodies (functions,
DO blocks), quoted strings and comments are cut out before reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_DOLLAR_QUOTED = re.compile(r"\$(\w*)\$.*?\$\1\$", re.S)
_STRING = re.compile(r"'(?:[^']|'')*'")
_LINE_COMMENT = re.compile(r"--[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_NAME = r'((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)'

_CREATE_TABLE = re.compile(rf"^CREATE (?:UNLOGGED )?(?:MATERIALIZED VIEW|TABLE) (?:IF NOT EXISTS )?{_NAME}", re.I)
_CREATE_INDEX = re.compile(rf"^CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY).*? ON (?:ONLY )?{_NAME}", re.I)
_ALTER_TABLE = re.compile(rf"^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?{_NAME} (.*)$", re.I | re.S)
_UPDATE = re.compile(rf"^UPDATE (?:ONLY )?{_NAME}", re.I)
_DELETE = re.compile(rf"^DELETE FROM (?:ONLY )?{_NAME}", re.I)  # noqa: S608 (a pattern, not a query)
_REWRITE = re.compile(r"^(?:VACUUM (?:\(.*FULL.*\)|FULL)|CLUSTER\b|REINDEX (?!.*CONCURRENTLY))", re.I)
_VOLATILE = re.compile(r"\b(?:gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|nextval)\s*\(", re.I)
_NOT_NULL_CHECK = re.compile(r"ADD CONSTRAINT (\S+) CHECK \(\s*(\S+) IS NOT NULL\s*\) NOT VALID", re.I)
_VALIDATE = re.compile(r"VALIDATE CONSTRAINT (\S+)", re.I)


@dataclass(frozen=True)
class SqlEffect:
    """One thing a statement does: `kind` is a rule name (see `RULES`) or one of the
    bookkeeping kinds `creates`, `not-null-check` (`detail` = column) and `validates`
    (`detail` = constraint name)."""

    kind: str
    table: str
    detail: str = ""


def _bare(name: str) -> str:
    return name.split(".")[-1].strip('"').lower()


def sql_statements(sql: object) -> Iterator[str]:
    """The statements of RunSQL's `sql` (a string, or a list of strings or (sql, params) pairs)."""
    parts = [sql] if isinstance(sql, str) else list(sql)  # type: ignore[call-overload]
    for part in parts:
        text = part[0] if isinstance(part, list | tuple) else part
        if not isinstance(text, str):
            continue
        for pattern in (_BLOCK_COMMENT, _LINE_COMMENT, _DOLLAR_QUOTED):
            text = pattern.sub(" ", text)
        text = _STRING.sub("''", text)
        for statement in text.split(";"):
            statement = " ".join(statement.split())
            if statement:
                yield statement


def sql_effects(statement: str) -> list[SqlEffect]:
    """What one statement does to a table, in the checker's terms."""
    if match := _CREATE_TABLE.match(statement):
        return [SqlEffect("creates", _bare(match[1]))]
    if match := _CREATE_INDEX.match(statement):
        return [SqlEffect("index", _bare(match[1]), "CREATE INDEX without CONCURRENTLY")]
    if match := _UPDATE.match(statement):
        return [SqlEffect("data-change", _bare(match[1]), "UPDATE in the migration's transaction")]
    if match := _DELETE.match(statement):
        return [SqlEffect("data-change", _bare(match[1]), "DELETE in the migration's transaction")]
    if _REWRITE.match(statement):
        return [SqlEffect("sql-rewrite", "", statement.split()[0].upper())]
    if match := _ALTER_TABLE.match(statement):
        return _alter_table_effects(_bare(match[1]), match[2])
    return []


def _alter_table_effects(table: str, actions: str) -> list[SqlEffect]:
    effects: list[SqlEffect] = []
    upper = actions.upper()
    if re.search(r"ALTER (?:COLUMN )?\S+ (?:SET DATA )?TYPE ", upper):
        effects.append(SqlEffect("type-change", table, "ALTER COLUMN ... TYPE"))
    if "SET NOT NULL" in upper:
        column = re.search(r"ALTER (?:COLUMN )?(\S+) SET NOT NULL", actions, re.I)
        effects.append(SqlEffect("set-not-null", table, _bare(column[1]) if column else ""))
    for action in re.split(r",\s*(?=ADD |ALTER |DROP |VALIDATE |SET |RENAME )", actions, flags=re.I):
        head = action.upper()
        table_constraint = re.match(r"ADD (?:CONSTRAINT|UNIQUE|PRIMARY KEY|CHECK|FOREIGN KEY|EXCLUDE)\b", head)
        if head.startswith("ADD ") and not table_constraint:  # a column
            if _VOLATILE.search(action):
                effects.append(SqlEffect("volatile-default", table, "ADD COLUMN with a volatile DEFAULT"))
            elif "NOT NULL" in head and " DEFAULT " not in head:
                effects.append(SqlEffect("not-null-no-default", table, "ADD COLUMN NOT NULL without DEFAULT"))
            if re.search(r"\b(?:UNIQUE|PRIMARY KEY)\b", head):
                effects.append(SqlEffect("index", table, "ADD COLUMN ... UNIQUE builds an index"))
            if " REFERENCES " in head:
                effects.append(SqlEffect("foreign-key", table, "ADD COLUMN ... REFERENCES validates at once"))
            continue
        if not head.startswith("ADD "):
            continue
        if match := _NOT_NULL_CHECK.search(action):
            effects.append(SqlEffect("not-null-check", table, f"{_bare(match[1])} {_bare(match[2])}"))
        elif re.search(r"\b(?:UNIQUE|PRIMARY KEY|EXCLUDE)\b", head) and "USING INDEX" not in head:
            effects.append(SqlEffect("index", table, "ADD CONSTRAINT ... UNIQUE/PRIMARY KEY/EXCLUDE builds an index"))
        elif "FOREIGN KEY" in head and "NOT VALID" not in head:
            effects.append(SqlEffect("foreign-key", table, "ADD FOREIGN KEY without NOT VALID"))
        elif "CHECK" in head and "NOT VALID" not in head:
            effects.append(SqlEffect("constraint", table, "ADD CHECK without NOT VALID"))
    for match in _VALIDATE.finditer(actions):
        effects.append(SqlEffect("validates", table, _bare(match[1])))
    return effects
