"""Customer figures of the home page: summary, charts by status/type/month, follow-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from crm.categories.models import CustomerStatus, CustomerStatusCode, CustomerType
from crm.contacts.models import Customer
from crm.dashboard.periods import local_midnight, month_starts, window_start
from crm.dashboard.selectors.scope import NO_CATEGORY_COLOR, ChartItem, Scope

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
