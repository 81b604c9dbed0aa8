"""Splitting an SQL script into single statements (no Django here: the database backend uses it).

Citus forwards the whole text of a multi-statement string to its workers, which refuse it
("cannot insert multiple commands into a prepared statement"), and sqlparse, which Django's
RunSQL uses to split a script, leaves some scripts whole (`CREATE TRIGGER ... REFERENCING NEW
TABLE ...`). This splitter knows quotes, comments and dollar-quoted bodies.
"""

from __future__ import annotations

import re

__all__ = ["sql_statements"]


def sql_statements(sql: str) -> list[str]:
    """`sql` split into its statements at semicolons outside quotes and comments."""
    statements: list[str] = []
    start = i = 0
    n = len(sql)
    while i < n:
        c = sql[i]
        if c == "'":
            i = sql.find("'", i + 1)
            while i != -1 and i + 1 < n and sql[i + 1] == "'":
                i = sql.find("'", i + 2)
            i = n if i == -1 else i + 1
        elif c == '"':
            i = sql.find('"', i + 1)
            i = n if i == -1 else i + 1
        elif c == "-" and sql.startswith("--", i):
            i = sql.find("\n", i)
            i = n if i == -1 else i
        elif c == "$" and (tag := re.match(r"\$[A-Za-z_]*\$", sql[i:])):
            end = sql.find(tag.group(), i + len(tag.group()))
            i = n if end == -1 else end + len(tag.group())
        elif c == ";":
            statements.append(sql[start:i].strip())
            i += 1
            start = i
        else:
            i += 1
    statements.append(sql[start:].strip())
    no_comments = (re.sub(r"^--.*$", "", s, flags=re.MULTILINE).strip() for s in statements)
    return [s for s in no_comments if s]
