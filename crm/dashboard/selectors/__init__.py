"""Figures of the home page widgets. Every figure is counted over what the user may
see (`customers_visible_to`, `deals_visible_to`, `tasks_visible_to`,
`contracts_visible_to`), each widget in one or two queries whatever the number of rows."""

from __future__ import annotations

from crm.dashboard.selectors.calendar import CALENDAR_PER_DAY, CalendarDay, my_week, team
from crm.dashboard.selectors.contracts import ContractFacts, contract_facts
from crm.dashboard.selectors.customers import (
    DEFAULT_BUCKET,
    FOLLOWUP_BUCKETS,
    CustomerFacts,
    Followups,
    customer_facts,
    customers_by_month,
    followups,
)
from crm.dashboard.selectors.deals import (
    DealFacts,
    DealFigure,
    YearFigure,
    deal_facts,
    deal_figures,
    won_q,
    won_value_by_year,
)
from crm.dashboard.selectors.scope import NO_CATEGORY_COLOR, ChartItem, Scope, scope_for, totals_sorted

__all__ = [
    "CALENDAR_PER_DAY",
    "DEFAULT_BUCKET",
    "FOLLOWUP_BUCKETS",
    "NO_CATEGORY_COLOR",
    "CalendarDay",
    "ChartItem",
    "ContractFacts",
    "CustomerFacts",
    "DealFacts",
    "DealFigure",
    "Followups",
    "Scope",
    "YearFigure",
    "contract_facts",
    "customer_facts",
    "customers_by_month",
    "deal_facts",
    "deal_figures",
    "followups",
    "my_week",
    "scope_for",
    "team",
    "totals_sorted",
    "won_q",
    "won_value_by_year",
]
