"""Reports: open sales, closed sales, user activity, contract value by start year, the weighted
sales forecast. Each report is a list of flat
rows (the same rows feed the page's tables, the CSV export and the API), computed
over what the user may see and narrowed by user, customer group and date range."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from crm.dashboard.reports.activity import user_activity
from crm.dashboard.reports.base import ACTIVITY_COLUMNS, SALES_COLUMNS, Report, ReportFilters, ReportSection, Row
from crm.dashboard.reports.contracts import contracts_by_year
from crm.dashboard.reports.forecast import deals_forecast
from crm.dashboard.reports.sales import closed_sales, open_sales, percent
from crm.dashboard.selectors import Scope

REPORTS: dict[str, Callable[[Scope, ReportFilters, datetime | None], Report]] = {
    "open-sales": lambda scope, filters, now: open_sales(scope, filters),
    "closed-sales": lambda scope, filters, now: closed_sales(scope, filters, now=now),
    "user-activity": lambda scope, filters, now: user_activity(scope, filters),
    "contracts-by-year": lambda scope, filters, now: contracts_by_year(scope, filters),
    "deals-forecast": lambda scope, filters, now: deals_forecast(scope, filters),
}


def report_build(name: str, *, scope: Scope, filters: ReportFilters, now: datetime | None = None) -> Report:
    return REPORTS[name](scope, filters, now)


__all__ = [
    "ACTIVITY_COLUMNS",
    "REPORTS",
    "SALES_COLUMNS",
    "Report",
    "ReportFilters",
    "ReportSection",
    "Row",
    "closed_sales",
    "contracts_by_year",
    "deals_forecast",
    "open_sales",
    "percent",
    "report_build",
    "user_activity",
]
