"""Context of the home page widgets: each widget's figures computed only when the
widget is shown, queries shared between widgets that use the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.common import charts
from crm.dashboard.periods import WINDOW_DAYS, days_parse, local_tz, week_of, window_start
from crm.dashboard.selectors import (
    DEFAULT_BUCKET,
    FOLLOWUP_BUCKETS,
    ChartItem,
    ContractFacts,
    CustomerFacts,
    DealFacts,
    Scope,
    YearFigure,
    contract_facts,
    customer_facts,
    deal_figures,
    followups,
    my_week,
    team,
)
from crm.dashboard.widgets import WIDGETS
from crm.invoicing.reports import InvoiceFigures, invoice_figures

DAYS_PARAM = {
    "customers": "customers_days",
    "contracts": "contracts_days",
    "won_deals": "won_days",
    "opportunities": "opportunities_days",
    "invoices": "invoices_days",
}


def followup_labels() -> dict[str, str]:
    return {
        "not_today": _("Bez kontaktu dziś"),
        "not_3d": _("Bez kontaktu od 3 dni"),
        "not_week": _("Bez kontaktu od tygodnia"),
        "not_month": _("Bez kontaktu od miesiąca"),
        "contacted_week": _("Kontakt w ostatnich 7 dniach"),
        "contacted_month": _("Kontakt w ostatnim miesiącu"),
    }


@dataclass(frozen=True)
class ChartRow:
    """A row of a chart's data table: its label (a chip when it has a colour) and its figures."""

    label: str
    cells: list[Any]
    color: str = ""


class HomeData:
    def __init__(self, *, scope: Scope, params: QueryDict | dict[str, str], now: datetime | None = None) -> None:
        self.scope = scope
        self.params = params
        self.now = now or timezone.now()

    def days(self, widget: str) -> int:
        return days_parse(self.params.get(DAYS_PARAM[widget])) or 7

    @cached_property
    def customers(self) -> CustomerFacts:
        return customer_facts(self.scope, days=self.days("customers"), now=self.now)

    @cached_property
    def deals(self) -> DealFacts:
        """The won, new-opportunity and won-by-year widgets read this one query."""
        return deal_figures(
            self.scope, won_days=self.days("won_deals"), open_days=self.days("opportunities"), now=self.now
        )

    @cached_property
    def contracts(self) -> ContractFacts:
        """Both contract widgets (the summary and the chart) read this one query."""
        return contract_facts(self.scope, now=self.now)

    @cached_property
    def invoices(self) -> InvoiceFigures:
        days = self.days("invoices")
        since = timezone.localdate(window_start(days, now=self.now), local_tz())
        today = timezone.localdate(self.now, local_tz())
        return invoice_figures(self.scope.user, days=days, since=since, today=today, everything=self.scope.everything)

    def context(self, key: str) -> dict[str, Any]:
        builder = getattr(self, f"_ctx_{key}")
        ctx: dict[str, Any] = builder()
        ctx.update(widget=WIDGETS[key], key=key)
        return ctx

    def _ctx_customers(self) -> dict[str, Any]:
        facts = self.customers
        return {"facts": facts, "days": facts.days, "param": DAYS_PARAM["customers"], "choices": WINDOW_DAYS}

    def _ctx_contracts(self) -> dict[str, Any]:
        fig = self.contracts.window(self.days("contracts"))
        since = timezone.localdate(window_start(fig.days))
        return {"fig": fig, "days": fig.days, "since": since, "param": DAYS_PARAM["contracts"], "choices": WINDOW_DAYS}

    def _ctx_won_deals(self) -> dict[str, Any]:
        fig = self.deals.won
        return {"fig": fig, "days": fig.days, "param": DAYS_PARAM["won_deals"], "choices": WINDOW_DAYS}

    def _ctx_opportunities(self) -> dict[str, Any]:
        fig = self.deals.opened
        return {"fig": fig, "days": fig.days, "param": DAYS_PARAM["opportunities"], "choices": WINDOW_DAYS}

    def _ctx_invoices(self) -> dict[str, Any]:
        fig = self.invoices
        return {"fig": fig, "days": fig.days, "param": DAYS_PARAM["invoices"], "choices": WINDOW_DAYS}

    def _ctx_followups(self) -> dict[str, Any]:
        only = str(self.params.get("followed") or "") == "1"
        bucket = str(self.params.get("bucket") or DEFAULT_BUCKET)
        data = followups(self.scope, only_followed=only, bucket=bucket, now=self.now, facts=self.customers)
        labels = followup_labels()
        return {
            "data": data,
            "buckets": [(b, labels[b], data.counts[b]) for b in FOLLOWUP_BUCKETS],
            "bucket_label": labels[data.bucket],
        }

    def _ctx_calendar(self) -> dict[str, Any]:
        return {"week": my_week(self.scope, now=self.now), "week_range": week_of(self.now)}

    # Charts share one template (dashboard/widgets/chart.html): the drawing and its data
    # as a table of `columns` and `rows`.

    def _ctx_chart_customers_month(self) -> dict[str, Any]:
        items = self.customers.by_month
        title = str(WIDGETS["chart_customers_month"].label)
        svg = charts.column_chart([i.label for i in items], [i.value for i in items], title=title)
        rows = [ChartRow(label=i.label, cells=[i.value]) for i in items]
        return {"svg": svg, "columns": [_("Miesiąc"), _("Klienci")], "rows": rows}

    def _ctx_chart_won_by_year(self) -> dict[str, Any]:
        return self._years_chart("chart_won_by_year", self.deals.by_year, _("Wygrane"), "#27ae60")

    def _ctx_chart_contracts_by_year(self) -> dict[str, Any]:
        return self._years_chart("chart_contracts_by_year", self.contracts.by_year, _("Umowy"), "#2457c5")

    def _years_chart(self, key: str, years: list[YearFigure], heading: str, color: str) -> dict[str, Any]:
        """Value per year in columns (PLN), the count and every currency in the table."""
        title = str(WIDGETS[key].label) + " (PLN)"
        svg = charts.column_chart([str(y.year) for y in years], [y.main_value for y in years], title=title, color=color)
        rows = [ChartRow(label=str(y.year), cells=[y.count, charts.money_text(y.totals)]) for y in years]
        return {"svg": svg, "columns": [_("Rok"), heading, _("Wartość")], "rows": rows}

    def _ctx_chart_customers_status(self) -> dict[str, Any]:
        return self._coloured_chart("chart_customers_status", self.customers.by_status, _("Status"))

    def _ctx_chart_customers_type(self) -> dict[str, Any]:
        return self._coloured_chart("chart_customers_type", self.customers.by_type, _("Typ"))

    def _coloured_chart(self, key: str, items: list[ChartItem], heading: str) -> dict[str, Any]:
        """Customers per category, bars and chips in the category colours."""
        svg = charts.bar_chart(
            [charts.Bar(label=i.label, values=[(i.value, i.color)]) for i in items], title=str(WIDGETS[key].label)
        )
        rows = [ChartRow(label=i.label, cells=[i.value], color=i.color) for i in items]
        return {"svg": svg, "columns": [heading, _("Klienci")], "rows": rows, "empty": _("Brak klientów.")}

    def _ctx_team(self) -> dict[str, Any]:
        return {"staff": team()}


def home_figures(*, scope: Scope, days: int, now: datetime | None = None) -> dict[str, Any]:
    """Every widget figure as plain numbers (the API), one window for all summaries."""
    params = {param: str(days) for param in DAYS_PARAM.values()}
    data = HomeData(scope=scope, params=params, now=now)
    deals = data.deals
    contracts = data.contracts
    follow = followups(scope, now=data.now, facts=data.customers)
    week = my_week(scope, now=data.now)
    return {
        "days": days,
        "customers": data.customers.figures(),
        "contracts": contracts.window(days).figures(),
        "won_deals": deals.won.figures(),
        "opportunities": deals.opened.figures(),
        "invoices": data.invoices.figures(),
        "followups": follow.counts,
        "calendar": {
            "week_start": week[0].day.isoformat(),
            "tasks": sum(d.count for d in week),
            "open_tasks": sum(d.open for d in week),
        },
        "customers_by_month": [{"month": i.key[:7], "count": i.value} for i in data.customers.by_month],
        "won_value_by_year": [
            {"year": y.year, "count": y.count, "value": {c: v for c, v in y.totals}} for y in deals.by_year
        ],
        "contract_value_by_year": [
            {"year": y.year, "count": y.count, "value": {c: v for c, v in y.totals}} for y in contracts.by_year
        ],
        "customers_by_status": [
            {"id": int(i.key) if i.key else None, "name": i.label, "color": i.color, "count": i.value}
            for i in data.customers.by_status
        ],
        "customers_by_type": [
            {"id": int(i.key) if i.key else None, "name": i.label, "color": i.color, "count": i.value}
            for i in data.customers.by_type
        ],
    }
