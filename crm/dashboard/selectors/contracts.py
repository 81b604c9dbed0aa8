"""Contract figures of the home page: new contracts (by creation time) in the 3/7/30-day
windows and contract value by start year, both out of one grouped query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Aggregate, Count, Q, Sum
from django.db.models.functions import ExtractYear

from crm.dashboard.periods import WINDOW_DAYS, local_year, window_start
from crm.dashboard.selectors.deals import DealFigure, YearFigure
from crm.dashboard.selectors.scope import Scope, totals_sorted

CHART_YEARS = 5


@dataclass
class ContractFacts:
    """New contracts per window (3, 7 and 30 days) and value by start year (oldest first)."""

    windows: dict[int, DealFigure]
    by_year: list[YearFigure]

    def window(self, days: int) -> DealFigure:
        return self.windows[days]


def contract_facts(scope: Scope, *, years: int = CHART_YEARS, now: datetime | None = None) -> ContractFacts:
    """One query: the visible contracts created in the last 30 days or started in the last
    `years` years (the current one included), grouped by start year and currency, counted
    and summed with a FILTER per window and one for the years. Every status counts (a
    contract created is a new contract, a draft too)."""
    last = local_year(now)
    first = last - years + 1
    windows = {days: Q(created_at__gte=window_start(days, now=now)) for days in WINDOW_DAYS}
    in_years = Q(start_date__gte=date(first, 1, 1), start_date__lte=date(last, 12, 31))
    agg: dict[str, Aggregate] = {}
    for days, cond in windows.items():
        agg[f"n{days}"] = Count("id", filter=cond)
        agg[f"s{days}"] = Sum("value", filter=cond)
    rows = (
        scope.contracts.order_by()
        .filter(windows[max(WINDOW_DAYS)] | in_years)
        .annotate(year=ExtractYear("start_date"))
        .values("year", "currency")
        .annotate(**agg, ny=Count("id", filter=in_years), sy=Sum("value", filter=in_years))
    )
    counts: dict[int, int] = defaultdict(int)
    window_counts: dict[int, int] = defaultdict(int)
    window_sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"PLN": Decimal("0")})
    year_sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"PLN": Decimal("0")})
    for row in rows:
        currency = row["currency"]
        for days in WINDOW_DAYS:
            window_counts[days] += row[f"n{days}"]
            sums = window_sums[days]
            sums[currency] = sums.get(currency, Decimal("0")) + (row[f"s{days}"] or Decimal("0"))
        if row["ny"]:
            counts[row["year"]] += row["ny"]
            sums = year_sums[row["year"]]
            sums[currency] = sums.get(currency, Decimal("0")) + (row["sy"] or Decimal("0"))
    return ContractFacts(
        windows={
            days: DealFigure(days=days, count=window_counts[days], totals=totals_sorted(window_sums[days]))
            for days in WINDOW_DAYS
        },
        by_year=[
            YearFigure(year=y, count=counts[y], totals=totals_sorted(year_sums[y])) for y in range(first, last + 1)
        ],
    )
