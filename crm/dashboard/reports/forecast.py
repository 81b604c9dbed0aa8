"""The weighted forecast: open deals by the month they are expected to close, each
counted at its value times its stage's probability, per currency, from one grouped
query (the stages' probabilities from a second, small one)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.categories.models import DealStage
from crm.dashboard.reports.base import FORECAST_COLUMNS, Report, ReportFilters, ReportSection, Row
from crm.dashboard.reports.sales import by_currency, report_deals, row_of
from crm.dashboard.selectors import Scope
from crm.sales.selectors import open_deals_q

CENT = Decimal("0.01")


def month_label(month: date) -> str:
    return formats.date_format(month, "F Y")


def deals_forecast(scope: Scope, filters: ReportFilters) -> Report:
    """Open deals (W toku and custom statuses) of the pipeline asked for (all by default),
    whose expected close falls within the range (all with a date when no range), per
    month and currency: count, value and weighted value (value × stage probability;
    deals without a stage weigh 0). Deals without an expected close are summed apart."""
    cond = Q()
    if filters.date_from:
        cond &= Q(expected_close__gte=filters.date_from)
    if filters.date_to:
        cond &= Q(expected_close__lte=filters.date_to)
    deals = report_deals(scope, filters).filter(open_deals_q())
    grouped: list[dict[str, Any]] = list(
        deals.filter(cond, expected_close__isnull=False)
        .annotate(month=TruncMonth("expected_close"))
        .values("month", "currency", "stage_id")
        .annotate(n=Count("id"), total=Sum("value"))
    )
    undated: list[dict[str, Any]] = list(
        deals.filter(expected_close__isnull=True)
        .values("currency", "stage_id")
        .annotate(n=Count("id"), total=Sum("value"))
    )
    ids = {row["stage_id"] for row in [*grouped, *undated] if row["stage_id"]}
    probability = dict(DealStage.objects.filter(pk__in=ids).values_list("pk", "probability"))
    cells: dict[tuple[date | None, str], list[Any]] = {}
    for row in [*grouped, *({**r, "month": None} for r in undated)]:
        cell = cells.setdefault((row["month"], row["currency"]), [0, Decimal("0"), Decimal("0")])
        value = row["total"] or Decimal("0")
        cell[0] += row["n"]
        cell[1] += value
        cell[2] += value * probability.get(row["stage_id"], 0) / 100
    months: list[Row] = []
    for month in sorted({m for m, _c in cells if m is not None}):
        for currency in by_currency({c for m, c in cells if m == month}):
            n, value, weighted = cells[(month, currency)]
            row = row_of("month", month.strftime("%Y-%m"), month_label(month), "", currency, n, value)
            row["weighted"] = weighted.quantize(CENT, rounding=ROUND_HALF_UP)
            months.append(row)
    summary: list[Row] = []
    for currency in by_currency({c for m, c in cells if m is not None}):
        mine = [cell for (m, c), cell in cells.items() if m is not None and c == currency]
        row = row_of(
            "summary",
            "forecast",
            _("Prognoza ważona"),
            "",
            currency,
            sum(c[0] for c in mine),
            sum((c[1] for c in mine), Decimal("0")),
        )
        row["weighted"] = sum((c[2] for c in mine), Decimal("0")).quantize(CENT, rounding=ROUND_HALF_UP)
        summary.append(row)
    for currency in by_currency({c for m, c in cells if m is None}) if any(m is None for m, _c in cells) else []:
        n, value, weighted = cells[(None, currency)]
        row = row_of("summary", "undated", _("Bez planowanej daty zamknięcia"), "", currency, n, value)
        row["weighted"] = weighted.quantize(CENT, rounding=ROUND_HALF_UP)
        summary.append(row)
    return Report(
        name="deals-forecast",
        title=gettext_lazy("Prognoza sprzedaży (ważona)"),
        columns=FORECAST_COLUMNS,
        sections=[
            ReportSection("summary", _("Podsumowanie"), summary),
            ReportSection("month", _("Wg miesiąca planowanego zamknięcia"), months),
        ],
    )
