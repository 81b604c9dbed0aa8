"""What every report is made of: the filters, sections of flat rows, the columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from crm.dashboard.periods import local_midnight

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportFilters:
    user_id: int | None = None
    group_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    pipeline_id: int | None = None  # the sales reports: deals of that pipeline only

    @property
    def since(self) -> datetime | None:
        return local_midnight(self.date_from) if self.date_from else None

    @property
    def until(self) -> datetime | None:  # exclusive: midnight after date_to
        return local_midnight(self.date_to + timedelta(days=1)) if self.date_to else None

    def in_range(self, field_name: str) -> Q:
        cond = Q()
        if self.since:
            cond &= Q(**{f"{field_name}__gte": self.since})
        if self.until:
            cond &= Q(**{f"{field_name}__lt": self.until})
        return cond


@dataclass
class ReportSection:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Report:
    name: str
    title: str | Promise
    columns: list[tuple[str, str | Promise]]
    sections: list[ReportSection] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]


SALES_COLUMNS: list[tuple[str, str | Promise]] = [
    ("section", gettext_lazy("sekcja")),
    ("id", gettext_lazy("id")),
    ("label", gettext_lazy("nazwa")),
    ("currency", gettext_lazy("waluta")),
    ("count", gettext_lazy("liczba")),
    ("value", gettext_lazy("wartość")),
    ("share", gettext_lazy("udział %")),
]
FORECAST_COLUMNS: list[tuple[str, str | Promise]] = [
    *SALES_COLUMNS,
    ("weighted", gettext_lazy("wartość ważona")),
]
ACTIVITY_COLUMNS: list[tuple[str, str | Promise]] = [
    ("user_id", gettext_lazy("id użytkownika")),
    ("label", gettext_lazy("użytkownik")),
    ("tasks_done", gettext_lazy("wykonane zadania")),
    ("deals_won", gettext_lazy("wygrane szanse")),
    ("notes_added", gettext_lazy("dodane notatki")),
]
