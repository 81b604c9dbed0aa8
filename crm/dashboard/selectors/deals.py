"""Deal figures of the home page: won and new open deals, won value by year (one query)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from crm.categories.models import DealStatusCode
from crm.dashboard.periods import local_midnight, local_tz, local_year, window_start
from crm.dashboard.selectors.scope import Scope, Totals, totals_sorted
from crm.sales.selectors import open_deals_q


@dataclass
class DealFigure:
    days: int
    count: int = 0
    totals: Totals = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {"days": self.days, "count": self.count, "value": {c: v for c, v in self.totals}}


def won_q() -> Q:
    return Q(status__code=DealStatusCode.WON)


@dataclass
class YearFigure:
    year: int
    count: int = 0
    totals: Totals = field(default_factory=list)

    @property
    def main_value(self) -> Decimal:
        return dict(self.totals).get("PLN", Decimal("0"))


@dataclass
class DealFacts:
    won: DealFigure
    opened: DealFigure
    by_year: list[YearFigure]


def deal_figures(
    scope: Scope, *, won_days: int, open_days: int, years: int = 5, now: datetime | None = None
) -> DealFacts:
    """One grouped query for the three deal widgets: won deals closed within `won_days`,
    open deals created within `open_days`, and won deals by the local year they were
    closed in (created_at when no close date) over the last `years` years."""
    won_since, open_since = window_start(won_days, now=now), window_start(open_days, now=now)
    last = local_year(now)
    first = last - years + 1
    is_won = won_q() & Q(closed_at__gte=won_since)
    is_open = open_deals_q() & Q(created_at__gte=open_since)
    in_years = won_q() & Q(when__gte=local_midnight(date(first, 1, 1)))
    rows = (
        scope.deals.order_by()
        .annotate(when=Coalesce("closed_at", "created_at"))
        .filter(is_won | is_open | in_years)
        .annotate(year=ExtractYear("when", tzinfo=local_tz()))
        .values("year", "currency")
        .annotate(
            won_n=Count("id", filter=is_won),
            won_sum=Sum("value", filter=is_won),
            open_n=Count("id", filter=is_open),
            open_sum=Sum("value", filter=is_open),
            year_n=Count("id", filter=in_years),
            year_sum=Sum("value", filter=in_years),
        )
    )
    won, opened = DealFigure(days=won_days), DealFigure(days=open_days)
    won_sums: dict[str, Decimal] = {"PLN": Decimal("0")}
    open_sums: dict[str, Decimal] = {"PLN": Decimal("0")}
    counts: dict[int, int] = defaultdict(int)
    year_sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"PLN": Decimal("0")})
    for row in rows:
        currency = row["currency"]
        won.count += row["won_n"]
        opened.count += row["open_n"]
        won_sums[currency] = won_sums.get(currency, Decimal("0")) + (row["won_sum"] or Decimal("0"))
        open_sums[currency] = open_sums.get(currency, Decimal("0")) + (row["open_sum"] or Decimal("0"))
        if row["year_n"]:
            counts[row["year"]] += row["year_n"]
            sums = year_sums[row["year"]]
            sums[currency] = sums.get(currency, Decimal("0")) + (row["year_sum"] or Decimal("0"))
    won.totals, opened.totals = totals_sorted(won_sums), totals_sorted(open_sums)
    by_year = [YearFigure(year=y, count=counts[y], totals=totals_sorted(year_sums[y])) for y in range(first, last + 1)]
    return DealFacts(won=won, opened=opened, by_year=by_year)


def deal_facts(
    scope: Scope, *, won_days: int, open_days: int, now: datetime | None = None
) -> tuple[DealFigure, DealFigure]:
    """Won deals closed within `won_days` and open deals created within `open_days`."""
    facts = deal_figures(scope, won_days=won_days, open_days=open_days, now=now)
    return facts.won, facts.opened


def won_value_by_year(scope: Scope, *, years: int = 5, now: datetime | None = None) -> list[YearFigure]:
    return deal_figures(scope, won_days=1, open_days=1, years=years, now=now).by_year
