"""Figures of the home page widgets. Every figure is counted over what the user may
see (`customers_visible_to`, `deals_visible_to`, `tasks_visible_to`), each widget
in one or two queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.categories.models import CustomerStatus, CustomerStatusCode, CustomerType, DealStatusCode
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.dashboard.periods import local_midnight, local_tz, local_year, month_starts, week_of, window_start
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to, open_deals_q
from crm.tasks.models import Task
from crm.tasks.selectors import tasks_visible_to

NO_CATEGORY_COLOR = "#adb5bd"
Totals = list[tuple[str, Decimal]]  # (currency, sum), PLN first


@dataclass
class Scope:
    """What one user may see; querysets are lazy, so building a Scope costs at most
    the one CompanySettings read of the visibility switch (deals add their own)."""

    user: Any
    everything: bool
    customers: QuerySet[Customer]
    deals: QuerySet[Deal]
    tasks: QuerySet[Task]


def scope_for(user: Any) -> Scope:
    everything = sees_everything(user)
    return Scope(
        user=user,
        everything=everything,
        customers=customers_visible_to(user, everything=everything),
        deals=deals_visible_to(user),
        tasks=tasks_visible_to(user),
    )


def totals_sorted(per_currency: dict[str, Decimal]) -> Totals:
    return sorted(((c, v) for c, v in per_currency.items() if v or c == "PLN"), key=lambda i: (i[0] != "PLN", i[0]))


@dataclass
class ChartItem:
    label: str
    value: Decimal | int
    color: str = NO_CATEGORY_COLOR
    key: str = ""
    note: str = ""


# --- Customers: summary + by status + by type (one query) ---------------------------


@dataclass
class StatusFigure:
    total: int = 0
    recent: int = 0  # created within the window


FOLLOWUP_DAYS = (1, 3, 7, 30)
CHART_MONTHS = 12


@dataclass
class CustomerFacts:
    """Everything the home page counts over customers, from one pass over the table:
    per status and type, created within the window, contacted since the follow-up
    windows, created in each of the last 12 months."""

    days: int
    since: datetime
    total: int = 0
    new: int = 0  # every visible customer created within the window
    by_code: dict[str, StatusFigure] = field(default_factory=dict)
    by_status: list[ChartItem] = field(default_factory=list)
    by_type: list[ChartItem] = field(default_factory=list)
    contacted_since: dict[int, int] = field(default_factory=dict)  # days -> customers contacted since its start
    by_month: list[ChartItem] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {"days": self.days, "total": self.total, "new": self.new}
        for code in (CustomerStatusCode.CURRENT, CustomerStatusCode.FORMAL, CustomerStatusCode.FOLLOW_UP):
            fig = self.by_code.get(code, StatusFigure())
            out[str(code)] = {"total": fig.total, "new": fig.recent}
        return out


def _category_meta() -> dict[tuple[str, int], dict[str, Any]]:
    """Customer statuses and types in one small query: (kind, id) -> name, colour, position, code."""
    status_table, type_table = CustomerStatus._meta.db_table, CustomerType._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 's', id, name, color, position, code FROM {status_table} "  # noqa: S608 - model table names
            f"UNION ALL SELECT 't', id, name, color, position, '' FROM {type_table}"
        )
        return {
            (kind, pk): {"name": name, "color": color, "pos": pos, "code": code}
            for kind, pk, name, color, pos, code in cursor.fetchall()
        }


# GROUPING(status_id, cb, type_id, kb): a bit set for each key left out of the set.
_BY_TYPE = 0b1101
_BY_CONTACT = 0b1110


def customer_facts(scope: Scope, *, days: int, now: datetime | None = None) -> CustomerFacts:
    since = window_start(days, now=now)
    months = month_starts(CHART_MONTHS, now=now)
    bounds = [local_midnight(m) for m in months]
    created_edges = sorted({*bounds, since})
    contact_days = sorted(FOLLOWUP_DAYS, reverse=True)  # 30, 7, 3, 1: earliest start first
    contact_edges = [window_start(d, now=now) for d in contact_days]
    # One pass over the visible customers (an index-only scan of the covering index of
    # migration 0002), hashed by small integers only: status, type, creation bucket
    # (months and the window), last-contact bucket. The ~1,000 groups are then folded
    # into three grouping sets (status x creation, type, contact) so only ~100 rows come
    # back. Names are joined in Python: grouping by text sorts with the collation.
    visible_sql, visible_params = (
        scope.customers.order_by()
        .values("status_id", "type_id", "created_at", "last_contact_at")
        .query.sql_with_params()
    )
    # The inner SQL is Django's own for the visible customers; every value is a parameter.
    sql = (
        "SELECT GROUPING(status_id, cb, type_id, kb), status_id, cb, type_id, kb, SUM(n)::int FROM ("  # noqa: S608
        " SELECT status_id, type_id, width_bucket(created_at, %s::timestamptz[]) AS cb,"
        " width_bucket(last_contact_at, %s::timestamptz[]) AS kb, COUNT(*) AS n"
        f" FROM ({visible_sql}) AS visible GROUP BY 1, 2, 3, 4) AS c"
        " GROUP BY GROUPING SETS ((status_id, cb), (type_id), (kb))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [created_edges, contact_edges, *visible_params])
        rows = cursor.fetchall()
    meta = _category_meta()
    facts = CustomerFacts(days=days, since=since, contacted_since=dict.fromkeys(FOLLOWUP_DAYS, 0))
    # Per creation bucket: its month (index into bounds, None before the first) and
    # whether it lies within the window. Contact bucket k: contacted since the first k starts.
    month_of = [None] + [max(i for i, start in enumerate(bounds) if start <= edge) for edge in created_edges]
    recent_of = [False] + [edge >= since for edge in created_edges]
    statuses: dict[Any, list[Any]] = {}
    types: dict[Any, list[Any]] = {}
    month_counts = [0] * len(bounds)
    for grouping, status_id, cb, type_id, kb, n in rows:
        if grouping == _BY_TYPE:
            facts.total += n
            info = meta.get(("t", type_id)) if type_id else None
            types.setdefault(type_id if info else None, [info, 0])[1] += n
        elif grouping == _BY_CONTACT:
            for level in range(kb or 0):
                facts.contacted_since[contact_days[level]] += n
        else:  # status x creation bucket
            recent = n if recent_of[cb or 0] else 0
            facts.new += recent
            month = month_of[cb or 0]
            if month is not None:
                month_counts[month] += n
            status = meta.get(("s", status_id)) if status_id else None
            if status and status["code"]:
                fig = facts.by_code.setdefault(status["code"], StatusFigure())
                fig.total += n
                fig.recent += recent
            statuses.setdefault(status_id if status else None, [status, 0])[1] += n
    facts.by_status = _chart_items(statuses, _("Bez statusu"))
    facts.by_type = _chart_items(types, _("Bez typu"))
    facts.by_month = [
        ChartItem(label=_month_label(m), value=month_counts[i], key=m.isoformat()) for i, m in enumerate(months)
    ]
    return facts


def _chart_items(groups: dict[Any, list[Any]], none_label: str) -> list[ChartItem]:
    """{id: [meta or None, count]} -> chart items in Settings order, "none" last."""
    items = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[1][0]["pos"] if kv[1][0] else 0, kv[0] or 0))
    return [
        ChartItem(
            label=info["name"] if info else none_label,
            value=n,
            color=info["color"] if info else NO_CATEGORY_COLOR,
            key=str(key or ""),
        )
        for key, (info, n) in items
    ]


def customers_by_month(scope: Scope, *, now: datetime | None = None) -> list[ChartItem]:
    return customer_facts(scope, days=7, now=now).by_month


def _month_label(month: date) -> str:
    return f"{month.month:02d}.{month.year}"


# --- Deals: won and new open deals (one query), won value by year ----------------------


@dataclass
class DealFigure:
    days: int
    count: int = 0
    totals: Totals = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {"days": self.days, "count": self.count, "value": {c: v for c, v in self.totals}}


def won_q() -> Q:
    return Q(status__code=DealStatusCode.WON)


def deal_facts(
    scope: Scope, *, won_days: int, open_days: int, now: datetime | None = None
) -> tuple[DealFigure, DealFigure]:
    """Won deals closed within `won_days` and open deals created within `open_days`."""
    won_since, open_since = window_start(won_days, now=now), window_start(open_days, now=now)
    is_won = won_q() & Q(closed_at__gte=won_since)
    is_open = open_deals_q() & Q(created_at__gte=open_since)
    rows = (
        scope.deals.order_by()
        .filter(is_won | is_open)
        .values("currency")
        .annotate(
            won_n=Count("id", filter=is_won),
            won_sum=Sum("value", filter=is_won),
            open_n=Count("id", filter=is_open),
            open_sum=Sum("value", filter=is_open),
        )
    )
    won, opened = DealFigure(days=won_days), DealFigure(days=open_days)
    won_sums: dict[str, Decimal] = {"PLN": Decimal("0")}
    open_sums: dict[str, Decimal] = {"PLN": Decimal("0")}
    for row in rows:
        won.count += row["won_n"]
        opened.count += row["open_n"]
        won_sums[row["currency"]] = won_sums.get(row["currency"], Decimal("0")) + (row["won_sum"] or Decimal("0"))
        open_sums[row["currency"]] = open_sums.get(row["currency"], Decimal("0")) + (row["open_sum"] or Decimal("0"))
    won.totals, opened.totals = totals_sorted(won_sums), totals_sorted(open_sums)
    return won, opened


@dataclass
class YearFigure:
    year: int
    count: int = 0
    totals: Totals = field(default_factory=list)

    @property
    def main_value(self) -> Decimal:
        return dict(self.totals).get("PLN", Decimal("0"))


def won_value_by_year(scope: Scope, *, years: int = 5, now: datetime | None = None) -> list[YearFigure]:
    """Won deals by the local year they were closed in (created_at when no close date)."""
    last = local_year(now)
    first = last - years + 1
    rows = (
        scope.deals.order_by()
        .filter(won_q())
        .annotate(when=Coalesce("closed_at", "created_at"))
        .filter(when__gte=local_midnight(date(first, 1, 1)))
        .annotate(year=ExtractYear("when", tzinfo=local_tz()))
        .values("year", "currency")
        .annotate(n=Count("id"), total=Sum("value"))
    )
    counts: dict[int, int] = defaultdict(int)
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"PLN": Decimal("0")})
    for row in rows:
        counts[row["year"]] += row["n"]
        sums[row["year"]][row["currency"]] = row["total"] or Decimal("0")
    return [YearFigure(year=y, count=counts[y], totals=totals_sorted(sums[y])) for y in range(first, last + 1)]


# --- Follow-up reminders -------------------------------------------------------------

FOLLOWUP_BUCKETS = ("not_today", "not_3d", "not_week", "not_month", "contacted_week", "contacted_month")
DEFAULT_BUCKET = "not_week"
FOLLOWUP_LIST_SIZE = 8


def followup_conditions(now: datetime | None = None) -> dict[str, Q]:
    """Not contacted since local midnight today / of the 3-, 7-, 30-day windows (never
    contacted counts as not contacted); contacted within the 7- and 30-day windows."""
    never = Q(last_contact_at__isnull=True)
    s1, s3, s7, s30 = (window_start(d, now=now) for d in FOLLOWUP_DAYS)
    return {
        "not_today": never | Q(last_contact_at__lt=s1),
        "not_3d": never | Q(last_contact_at__lt=s3),
        "not_week": never | Q(last_contact_at__lt=s7),
        "not_month": never | Q(last_contact_at__lt=s30),
        "contacted_week": Q(last_contact_at__gte=s7),
        "contacted_month": Q(last_contact_at__gte=s30),
    }


def followup_counts(total: int, contacted_since: dict[int, int]) -> dict[str, int]:
    c = contacted_since
    return {
        "not_today": total - c[1],
        "not_3d": total - c[3],
        "not_week": total - c[7],
        "not_month": total - c[30],
        "contacted_week": c[7],
        "contacted_month": c[30],
    }


@dataclass
class Followups:
    only_followed: bool
    bucket: str
    counts: dict[str, int]
    customers: list[Customer]


def followups(
    scope: Scope,
    *,
    only_followed: bool = False,
    bucket: str = DEFAULT_BUCKET,
    now: datetime | None = None,
    facts: CustomerFacts | None = None,
) -> Followups:
    """Counts per bucket (from `facts` when given and not filtered to followed
    customers, else one query) and the first customers of the chosen bucket."""
    conditions = followup_conditions(now)
    bucket = bucket if bucket in conditions else DEFAULT_BUCKET
    base = scope.customers.order_by()
    if only_followed:
        base = base.filter(followers=scope.user)
    if facts is None or only_followed:
        agg: dict[str, Any] = {"n": Count("id")}
        for d in FOLLOWUP_DAYS:
            agg[f"c{d}"] = Count("id", filter=Q(last_contact_at__gte=window_start(d, now=now)))
        row = base.aggregate(**agg)
        counts = followup_counts(row["n"], {d: row[f"c{d}"] for d in FOLLOWUP_DAYS})
    else:
        counts = followup_counts(facts.total, facts.contacted_since)
    order = ("-last_contact_at", "-id") if bucket.startswith("contacted") else ("last_contact_at", "id")
    listed = list(
        base.filter(conditions[bucket]).order_by(*order).only("id", "name", "last_contact_at")[:FOLLOWUP_LIST_SIZE]
    )
    return Followups(only_followed=only_followed, bucket=bucket, counts=counts, customers=listed)


# --- The user's calendar -------------------------------------------------------------

CALENDAR_LIMIT = 300
CALENDAR_PER_DAY = 6


@dataclass
class CalendarDay:
    day: date
    is_today: bool
    tasks: list[Task] = field(default_factory=list)
    more: int = 0  # tasks of the day beyond the ones listed
    count: int = 0  # all tasks of the day (of the first CALENDAR_LIMIT of the week)
    open: int = 0


def my_week(scope: Scope, *, now: datetime | None = None) -> list[CalendarDay]:
    """Tasks of the signed-in user (assigned to them, or theirs and unassigned) that
    start or are due this week (Monday to Sunday, local time)."""
    week = week_of(now)
    today = timezone.localdate(now or timezone.now(), local_tz())
    mine = Q(assignee_id=scope.user.pk) | Q(assignee__isnull=True, created_by_id=scope.user.pk)
    in_week = Q(due_at__gte=week.start, due_at__lt=week.end) | Q(starts_at__gte=week.start, starts_at__lt=week.end)
    tasks = (
        scope.tasks.filter(mine & in_week)
        .annotate(when=Coalesce("starts_at", "due_at"))
        .select_related("category", "customer")
        .only("id", "title", "starts_at", "due_at", "done", "category__name", "category__color", "customer__name")
        .order_by("when", "id")[:CALENDAR_LIMIT]
    )
    days = {d: CalendarDay(day=d, is_today=d == today) for d in week.days}
    for task in tasks:
        when = task.when  # type: ignore[attr-defined]
        local_day = timezone.localdate(when, local_tz())
        # A task starting before the week but due within it (or the other way round)
        # shows on the first or last day of the week.
        local_day = min(max(local_day, week.days[0]), week.days[-1])
        cell = days[local_day]
        cell.count += 1
        cell.open += 0 if task.done else 1
        if len(cell.tasks) < CALENDAR_PER_DAY:
            cell.tasks.append(task)
        else:
            cell.more += 1
    return [days[d] for d in week.days]


def team() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("role", "name", "email")
