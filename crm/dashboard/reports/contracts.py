"""Contract value by start year: the visible contracts counted and summed per year
their period starts in, per currency, from one grouped query."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.dashboard.reports.base import SALES_COLUMNS, Report, ReportFilters, ReportSection, Row
from crm.dashboard.reports.sales import by_currency, percent, row_of
from crm.dashboard.selectors import Scope


def contracts_by_year(scope: Scope, filters: ReportFilters) -> Report:
    """Every year from the first to the last start year found (years without contracts
    too, at zero), narrowed by owner, customer group and start date; the share is the
    year's part of the value in its currency. Every status counts, as on the home page."""
    contracts = scope.contracts.order_by()
    if filters.user_id:
        contracts = contracts.filter(owner_id=filters.user_id)
    if filters.group_id:
        contracts = contracts.filter(customer__groups=filters.group_id)
    cond = Q()
    if filters.date_from:
        cond &= Q(start_date__gte=filters.date_from)
    if filters.date_to:
        cond &= Q(start_date__lte=filters.date_to)
    grouped: list[dict[str, Any]] = list(
        contracts.filter(cond)
        .annotate(year=ExtractYear("start_date"))
        .values("year", "currency")
        .annotate(n=Count("id"), total=Sum("value"))
    )
    cells = {(r["year"], r["currency"]): (r["n"], r["total"] or Decimal("0")) for r in grouped}
    totals: dict[str, list[Any]] = {}
    for (_year, currency), (n, value) in cells.items():
        cell = totals.setdefault(currency, [0, Decimal("0")])
        cell[0] += n
        cell[1] += value
    years: list[Row] = []
    found = sorted({year for year, _c in cells})
    for year in range(found[0], found[-1] + 1) if found else ():
        for currency in by_currency({c for y, c in cells if y == year}):
            n, value = cells.get((year, currency), (0, Decimal("0")))
            row = row_of("year", year, str(year), "", currency, n, value)
            row["share"] = percent_of_value(value, totals.get(currency, [0, Decimal("0")])[1])
            years.append(row)
    summary = [
        row_of("summary", "total", _("Wszystkie umowy"), "", currency, *totals.get(currency, (0, Decimal("0"))))
        for currency in by_currency(set(totals))
    ]
    return Report(
        name="contracts-by-year",
        title=gettext_lazy("Wartość umów wg roku rozpoczęcia"),
        columns=SALES_COLUMNS,
        sections=[
            ReportSection("summary", _("Podsumowanie"), summary),
            ReportSection("year", _("Wg roku rozpoczęcia"), years),
        ],
    )


def percent_of_value(part: Decimal, whole: Decimal) -> Decimal | None:
    return percent(int(part * 100), int(whole * 100)) if whole else None
