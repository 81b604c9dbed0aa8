"""Invoice numbers: patterns such as `FV/{YYYY}/{MM}/{NR}` and the gap-free counters behind them.

A pattern holds `{NR}` (the number within the period) and the date parts `{YYYY}`, `{YY}`,
`{MM}` of the issue date. The number starts again from 1 every month or every year
(`CompanySettings.number_reset`), so a pattern must name the period it resets in: a
monthly series needs the year and the month, a yearly one the year; otherwise two
invoices would get the same number.

`number_take_sql` is the statement that gives the next number of a series and period;
the issuing service runs it inside its transaction, as part of the one statement that
also writes the number on the invoice (crm.invoicing.services.issue). The counter row
stays locked until that transaction ends, so concurrent issuers queue on it and each
gets the next number; a transaction that fails rolls its increment back with it. No
gaps, no repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from crm.invoicing.models import NumberCounter

TOKENS = ("{YYYY}", "{YY}", "{MM}", "{NR}")
_TOKEN = re.compile(r"\{[^{}]*\}")
_ALLOWED_TEXT = re.compile(r"^[\w\-/.\s]*$")
MONTHLY, YEARLY = "monthly", "yearly"


def number_pattern_check(pattern: str, *, reset: str) -> str:
    """The pattern, stripped; a ValidationError (for the pattern's field) when it lacks
    {NR}, has an unknown {…}, characters other than letters, digits, - / . and spaces,
    or cannot tell its reset periods apart."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValidationError(_("Podaj wzór numeru, np. FV/{YYYY}/{MM}/{NR}."))
    unknown = [t for t in _TOKEN.findall(pattern) if t not in TOKENS]
    if unknown:
        raise ValidationError(
            _("Nieznane pole we wzorze: %(fields)s. Dozwolone: {YYYY}, {YY}, {MM}, {NR}.")
            % {"fields": ", ".join(unknown)}
        )
    if pattern.count("{NR}") != 1:
        raise ValidationError(_("Wzór musi zawierać dokładnie jedno pole {NR} (kolejny numer)."))
    if not _ALLOWED_TEXT.match(_TOKEN.sub("", pattern)):
        raise ValidationError(_("We wzorze używaj liter, cyfr, spacji oraz znaków - / . i pól w nawiasach {}."))
    has_year = "{YYYY}" in pattern or "{YY}" in pattern
    if reset == MONTHLY and not (has_year and "{MM}" in pattern):
        raise ValidationError(
            _("Numeracja od nowa co miesiąc wymaga we wzorze roku ({YYYY} lub {YY}) i miesiąca ({MM}).")
        )
    if reset == YEARLY and not has_year:
        raise ValidationError(_("Numeracja od nowa co rok wymaga we wzorze roku ({YYYY} lub {YY})."))
    return pattern


def series_period(day: date, *, reset: str) -> str:
    """The counter's period of an invoice issued on `day`: "2026-12" (monthly) or "2026"."""
    return f"{day.year:04d}-{day.month:02d}" if reset == MONTHLY else f"{day.year:04d}"


def _dated(pattern: str, *, day: date) -> str:
    return (
        pattern.replace("{YYYY}", f"{day.year:04d}")
        .replace("{YY}", f"{day.year % 100:02d}")
        .replace("{MM}", f"{day.month:02d}")
    )


def number_format(pattern: str, *, day: date, number: int) -> str:
    """`FV/{YYYY}/{MM}/{NR}`, 2026-12-03, 7 -> "FV/2026/12/7"."""
    return _dated(pattern, day=day).replace("{NR}", str(number))


@dataclass(frozen=True)
class NumberTemplate:
    """The number of a pattern on a day, before its {NR} is known: prefix + NR + suffix."""

    prefix: str
    suffix: str

    def text(self, number: int) -> str:
        return f"{self.prefix}{number}{self.suffix}"


def number_template(pattern: str, *, day: date) -> NumberTemplate:
    """`FV/{YYYY}/{MM}/{NR}`, 2026-12-03 -> ("FV/2026/12/", ""); `.text(n)` is `number_format`'s."""
    prefix, _nr, suffix = _dated(pattern, day=day).partition("{NR}")
    return NumberTemplate(prefix=prefix, suffix=suffix)


def number_take_sql(*, series: str, period: str) -> tuple[str, list[str]]:
    """The statement (SQL and parameters) that returns, as `last_number`, the next number of
    `series` in `period`, counted once the surrounding transaction commits. Run it inside
    that transaction, as late as possible: the counter stays locked until it ends."""
    # The first issuer of a period creates the row with 1; the others increment it. ON
    # CONFLICT DO UPDATE locks the row until our transaction ends, and a concurrent issuer
    # waits for that and then increments the committed value.
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    return (
        f"INSERT INTO {table} (series, period, last_number) VALUES (%s, %s, 1) "  # noqa: S608 (our table's name)
        f"ON CONFLICT (series, period) DO UPDATE SET last_number = {table}.last_number + 1 "
        "RETURNING last_number",
        [series, period],
    )
