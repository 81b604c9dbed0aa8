"""Numbers of business documents: a pattern such as `OF/{YYYY}/{NR}` and a counter per
series and period that never skips or repeats a number, however many documents take
one at the same moment.

`next_number(series=..., period=...)` locks the counter row (SELECT … FOR UPDATE, the
row created first if missing with INSERT … ON CONFLICT DO NOTHING) and returns the next
number; call it inside the transaction that stores the number on the document, so a
rollback gives the number back and the next document takes it.

The period follows the company's reset rule, but only as far as the pattern can show
it: a monthly reset with a pattern without `{MM}` would repeat numbers, so such a
series runs on through the year (and a pattern without a year never starts again).
"""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction

from crm.documents.models import DocumentCounter

PLACEHOLDERS = ("{YYYY}", "{YY}", "{MM}", "{NR}")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot number documents (None when it can): it needs `{NR}` once and
    only the known placeholders. The message is English (callers say it their way)."""
    if pattern.count("{NR}") != 1:
        return "the pattern needs {NR} exactly once"
    unknown = [p for p in _PLACEHOLDER.findall(pattern) if p not in PLACEHOLDERS]
    if unknown:
        return f"unknown placeholders: {', '.join(unknown)}"
    return None


def number_period(pattern: str, reset: str, on: date) -> str:
    """The counter's period of a document dated `on`: "2026-12", "2026" or ""."""
    shows_year = "{YYYY}" in pattern or "{YY}" in pattern
    if reset == "monthly" and shows_year and "{MM}" in pattern:
        return f"{on.year:04d}-{on.month:02d}"
    if shows_year:
        return f"{on.year:04d}"
    return ""


def number_format(pattern: str, on: date, number: int) -> str:
    """`OF/{YYYY}/{MM}/{NR}` with 2026-12-03 and 7 -> `OF/2026/12/7`."""
    return (
        pattern.replace("{YYYY}", f"{on.year:04d}")
        .replace("{YY}", f"{on.year % 100:02d}")
        .replace("{MM}", f"{on.month:02d}")
        .replace("{NR}", str(number))
    )


def next_number(*, series: str, period: str) -> int:
    """The next number of `series` in `period`; the counter stays locked until the
    caller's transaction ends (must be called inside one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(series=series, period=period, last_number=0)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(series=series, period=period)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def document_number(*, series: str, pattern: str, reset: str, on: date) -> str:
    """The next number of `series` formatted with `pattern` for a document dated `on`."""
    problem = pattern_problem(pattern)
    if problem:
        raise ValueError(problem)
    period = number_period(pattern, reset, on)
    return number_format(pattern, on, next_number(series=series, period=period))
