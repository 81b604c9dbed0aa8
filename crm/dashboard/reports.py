"""Reports: open sales, closed sales, user activity. Each report is a list of flat
rows (the same rows feed the page's tables, the CSV export and the API), computed
over what the user may see and narrowed by user, customer group and date range."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.accounts.models import User
from crm.categories.models import DealStage, DealStatusCode
from crm.dashboard.periods import local_midnight, window_start
from crm.dashboard.selectors import Scope, won_q
from crm.notes.models import Note
from crm.sales.models import Deal
from crm.sales.selectors import open_deals_q

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportFilters:
    user_id: int | None = None
    group_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

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
ACTIVITY_COLUMNS: list[tuple[str, str | Promise]] = [
    ("user_id", gettext_lazy("id użytkownika")),
    ("label", gettext_lazy("użytkownik")),
    ("tasks_done", gettext_lazy("wykonane zadania")),
    ("deals_won", gettext_lazy("wygrane szanse")),
    ("notes_added", gettext_lazy("dodane notatki")),
]


def _deals(scope: Scope, filters: ReportFilters) -> QuerySet[Deal]:
    deals = scope.deals.order_by()
    if filters.user_id:
        deals = deals.filter(owner_id=filters.user_id)
    if filters.group_id:
        deals = deals.filter(customer__groups=filters.group_id)
    return deals


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _grouped(
    deals: QuerySet[Deal], *, section: str, key: str, label: str, color: str | None, none_label: str
) -> list[Row]:
    fields = [key, label] + ([color] if color else [])
    rows = deals.values(*fields, "currency").annotate(n=Count("id"), total=Sum("value"))
    out = [
        {
            "section": section,
            "id": row[key],
            "label": (row[label] or "") if row[key] is not None else none_label,
            "color": row[color] if color and row[key] is not None else "",
            "currency": row["currency"],
            "count": row["n"],
            "value": row["total"] or Decimal("0"),
            "share": None,
        }
        for row in rows
    ]
    return sorted(out, key=lambda r: (-r["count"], str(r["label"]), r["currency"]))


def open_sales(scope: Scope, filters: ReportFilters) -> Report:
    """Open deals (W toku and custom statuses) created within the range: funnel by
    stage (every stage, in order), totals by category and by owner."""
    deals = _deals(scope, filters).filter(open_deals_q()).filter(filters.in_range("created_at"))
    by_stage = {
        (row["stage_id"], row["currency"]): row
        for row in deals.values("stage_id", "currency").annotate(n=Count("id"), total=Sum("value"))
    }
    funnel: list[Row] = []
    stages: list[tuple[int | None, str, str]] = [
        (s.pk, s.name, s.color) for s in DealStage.objects.order_by("position", "id")
    ]
    if any(stage_id is None for stage_id, _c in by_stage):
        stages.append((None, _("Bez etapu"), ""))
    for stage_id, name, color in stages:
        currencies = sorted((c for s, c in by_stage if s == stage_id), key=lambda c: (c != "PLN", c)) or ["PLN"]
        for currency in currencies:
            row = by_stage.get((stage_id, currency), {"n": 0, "total": Decimal("0")})
            funnel.append(
                {
                    "section": "stage",
                    "id": stage_id,
                    "label": name,
                    "color": color,
                    "currency": currency,
                    "count": row["n"],
                    "value": row["total"] or Decimal("0"),
                    "share": None,
                }
            )
    return Report(
        name="open-sales",
        title=gettext_lazy("Otwarta sprzedaż"),
        columns=SALES_COLUMNS,
        sections=[
            ReportSection("stage", _("Lejek sprzedaży wg etapu"), funnel),
            ReportSection(
                "category",
                _("Wg kategorii"),
                _grouped(
                    deals,
                    section="category",
                    key="category_id",
                    label="category__name",
                    color="category__color",
                    none_label=_("Bez kategorii"),
                ),
            ),
            ReportSection(
                "user",
                _("Wg opiekuna"),
                _grouped(
                    deals, section="user", key="owner_id", label="owner__name", color=None, none_label=_("Bez opiekuna")
                ),
            ),
        ],
    )


def _fill_owner_labels(rows: list[Row]) -> None:
    """Owners without a name are shown by e-mail."""
    missing = {r["id"] for r in rows if r["id"] is not None and not r["label"]}
    if missing:
        emails = dict(User.objects.filter(pk__in=missing).values_list("pk", "email"))
        for r in rows:
            if r["id"] in emails and not r["label"]:
                r["label"] = emails[r["id"]]


def closed_sales(scope: Scope, filters: ReportFilters, *, now: datetime | None = None) -> Report:
    """Won in the last 7 and 30 days (fixed windows), then over the range: won, lost,
    win ratio (won / (won + lost)), won by win reason and lost by loss reason."""
    deals = _deals(scope, filters)
    won7, won30 = window_start(7, now=now), window_start(30, now=now)
    is_won, is_lost = won_q(), Q(status__code=DealStatusCode.LOST)
    in_range = filters.in_range("closed_at")
    conds = {
        "won_7d": is_won & Q(closed_at__gte=won7),
        "won_30d": is_won & Q(closed_at__gte=won30),
        "won": is_won & in_range,
        "lost": is_lost & in_range,
    }
    agg: dict[str, Any] = {}
    for key, cond in conds.items():
        agg[f"{key}_n"] = Count("id", filter=cond)
        agg[f"{key}_v"] = Sum("value", filter=cond)
    totals = {
        row["currency"]: row for row in deals.filter(is_won | is_lost).values("currency").annotate(**agg).order_by()
    } or {"PLN": {f"{k}_{s}": 0 for k in conds for s in "nv"}}
    labels = {
        "won_7d": _("Wygrane w ostatnich 7 dniach"),
        "won_30d": _("Wygrane w ostatnich 30 dniach"),
        "won": _("Wygrane w okresie"),
        "lost": _("Przegrane w okresie"),
    }
    summary: list[Row] = []
    counts = {key: sum(int(r[f"{key}_n"] or 0) for r in totals.values()) for key in conds}
    for key in conds:
        for currency in sorted(totals, key=lambda c: (c != "PLN", c)):
            summary.append(
                {
                    "section": "summary",
                    "id": key,
                    "label": labels[key],
                    "color": "",
                    "currency": currency,
                    "count": int(totals[currency][f"{key}_n"] or 0),
                    "value": totals[currency][f"{key}_v"] or Decimal("0"),
                    "share": None,
                }
            )
    closed_n = counts["won"] + counts["lost"]
    summary.append(
        {
            "section": "summary",
            "id": "win_ratio",
            "label": _("Współczynnik wygranych"),
            "color": "",
            "currency": "",
            "count": closed_n,
            "value": None,
            "share": percent(counts["won"], closed_n),
        }
    )
    won_rows = _grouped(
        deals.filter(conds["won"]),
        section="win_reason",
        key="win_reason_id",
        label="win_reason__name",
        color="win_reason__color",
        none_label=_("Bez powodu"),
    )
    lost_rows = _grouped(
        deals.filter(conds["lost"]),
        section="loss_reason",
        key="loss_reason_id",
        label="loss_reason__name",
        color="loss_reason__color",
        none_label=_("Bez powodu"),
    )
    for rows, whole in ((won_rows, counts["won"]), (lost_rows, counts["lost"])):
        for row in rows:
            row["share"] = percent(row["count"], whole)
    return Report(
        name="closed-sales",
        title=gettext_lazy("Zamknięta sprzedaż"),
        columns=SALES_COLUMNS,
        sections=[
            ReportSection("summary", _("Podsumowanie"), summary),
            ReportSection("win_reason", _("Wygrane wg powodu"), won_rows),
            ReportSection("loss_reason", _("Przegrane wg powodu"), lost_rows),
        ],
    )


def user_activity(scope: Scope, filters: ReportFilters) -> Report:
    """Per user: tasks done (by completion time), deals won (by close time), notes
    added (by author). A Pracownik under the visibility restriction sees only their own row."""
    user_id = filters.user_id if scope.everything else scope.user.pk
    tasks = scope.tasks.order_by().filter(done=True).filter(filters.in_range("completed_at"))
    deals = scope.deals.order_by().filter(won_q()).filter(filters.in_range("closed_at"))
    notes = Note.objects.order_by().filter(filters.in_range("created_at"))
    if not scope.everything:
        notes = notes.filter(author_id=scope.user.pk)
    if user_id:
        tasks, deals, notes = (
            tasks.filter(assignee_id=user_id),
            deals.filter(owner_id=user_id),
            notes.filter(author_id=user_id),
        )
    if filters.group_id:
        tasks = tasks.filter(customer__groups=filters.group_id)
        deals = deals.filter(customer__groups=filters.group_id)
        notes = notes.filter(customer__groups=filters.group_id)
    figures: dict[int, dict[str, int]] = {}
    for key, qs, by in (
        ("tasks_done", tasks, "assignee_id"),
        ("deals_won", deals, "owner_id"),
        ("notes_added", notes, "author_id"),
    ):
        for row in qs.exclude(**{f"{by}__isnull": True}).values(by).annotate(n=Count("id")):
            figures.setdefault(row[by], {"tasks_done": 0, "deals_won": 0, "notes_added": 0})[key] = row["n"]
    people = User.objects.filter(Q(pk__in=list(figures)) | Q(is_active=True))
    if user_id:
        people = people.filter(pk=user_id)
    rows: list[Row] = [
        {
            "section": "user",
            "user_id": person.pk,
            "label": str(person),
            **figures.get(person.pk, {"tasks_done": 0, "deals_won": 0, "notes_added": 0}),
        }
        for person in people.order_by("name", "email")
    ]
    rows.sort(key=lambda r: (-(r["tasks_done"] + r["deals_won"] + r["notes_added"]), r["label"]))
    return Report(
        name="user-activity",
        title=gettext_lazy("Aktywność użytkowników"),
        columns=ACTIVITY_COLUMNS,
        sections=[ReportSection("user", _("Aktywność wg użytkownika"), rows)],
    )


def _open(scope: Scope, filters: ReportFilters, now: datetime | None) -> Report:
    report = open_sales(scope, filters)
    _fill_owner_labels(report.sections[2].rows)
    return report


REPORTS: dict[str, Callable[[Scope, ReportFilters, datetime | None], Report]] = {
    "open-sales": _open,
    "closed-sales": lambda scope, filters, now: closed_sales(scope, filters, now=now),
    "user-activity": lambda scope, filters, now: user_activity(scope, filters),
}


def report_build(name: str, *, scope: Scope, filters: ReportFilters, now: datetime | None = None) -> Report:
    return REPORTS[name](scope, filters, now)
