"""Reads of tickets: who sees which ticket, the list with filters, the reports.

`tickets_visible_to(user)` is the one visibility rule (pages, API, cards, notes, search):
Szef and Kierownik see every ticket; a Pracownik the tickets of his departments, those
assigned to him and those he created; a Pracownik Szef restricted to his own records
only those assigned to him or created by him, and his departments' tickets whose
customer he sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from crm.accounts.access import is_manager, sees_everything
from crm.accounts.models import User
from crm.common.search import SearchFold, fold_terms
from crm.contacts.selectors import customers_visible_to
from crm.tickets.models import Department, Ticket, TicketPriority, TicketStatus, TicketStatusCode


def tickets_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    if is_manager(user):
        return tickets
    if everything is None:
        everything = sees_everything(user)
    own = Q(assignee_id=user.pk) | Q(created_by_id=user.pk)
    departments = Q(department__in=Department.objects.filter(members=user))
    if everything:
        return tickets.filter(own | departments)
    return tickets.filter(own | (departments & Q(customer__in=customers_visible_to(user, everything=False))))


def ticket_closed_status() -> TicketStatus | None:
    return TicketStatus.objects.filter(code=TicketStatusCode.CLOSED).first()


def ticket_default_status() -> TicketStatus | None:
    """New tickets start in the first status of the list that is not the closed one."""
    return TicketStatus.objects.exclude(code=TicketStatusCode.CLOSED).order_by("position", "id").first()


@dataclass(frozen=True)
class TicketFilters:
    query: str = ""
    status_id: int | None = None
    priority_id: int | None = None
    department_id: int | None = None
    assignee_id: int | None = None
    customer_id: int | None = None
    open_only: bool = False


def ticket_list(*, user: User, filters: TicketFilters | None = None) -> QuerySet[Ticket]:
    filters = filters or TicketFilters()
    tickets = tickets_visible_to(user)
    terms = fold_terms(filters.query or "")
    if terms:
        matches = Q()
        for term in terms:
            matches &= Q(_fold__contains=term)
        number = filters.query.strip().lstrip("#")
        if number.isascii() and number.isdigit() and len(number) < 10:
            matches = Q(number=int(number))  # "#12" or "12": that ticket
        tickets = tickets.annotate(_fold=SearchFold("subject", "customer__name", "requester_email")).filter(matches)
    for field, value in (
        ("status_id", filters.status_id),
        ("priority_id", filters.priority_id),
        ("department_id", filters.department_id),
        ("assignee_id", filters.assignee_id),
        ("customer_id", filters.customer_id),
    ):
        if value:
            tickets = tickets.filter(**{field: value})
    if filters.open_only:
        tickets = tickets.exclude(status__code=TicketStatusCode.CLOSED)
    return tickets.select_related("customer", "contact", "department", "priority", "status", "assignee").order_by(
        "-created_at", "-id"
    )


def ticket_by_reference(number: int, token: str) -> Ticket | None:
    return Ticket.objects.filter(number=number, token=token).select_related("customer", "contact").first()


def department_for_address(address: str) -> Department | None:
    address = (address or "").strip()
    if not address:
        return None
    return Department.objects.filter(email__iexact=address).order_by("id").first()


# --- reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffFigures:
    user_id: int
    name: str
    open: int
    closed: int
    first_response: timedelta | None
    resolution: timedelta | None


@dataclass(frozen=True)
class TicketReport:
    priorities: list[tuple[int | None, str, str]]  # (id, name, colour); None: no priority
    rows: list[dict[str, Any]]  # {"department": name, "counts": [n per priority], "total": n}
    totals: list[int]
    first_response: timedelta | None
    resolution: timedelta | None
    staff: list[StaffFigures]


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _seconds(value: Any) -> timedelta | None:
    return None if value is None else timedelta(seconds=round(float(value)))


def ticket_report(*, created_from: date | None = None, created_to: date | None = None) -> TicketReport:
    """Open tickets by department x priority; the median time to the first staff answer
    and to closing (over every ticket that has one), overall and per assignee; computed
    by PostgreSQL (percentile_cont). `created_from`/`created_to`: only tickets created on
    those local days or between them."""
    closed = ticket_closed_status()
    since = _local_midnight(created_from) if created_from else None
    until = _local_midnight(created_to + timedelta(days=1)) if created_to else None
    tickets = Ticket.objects.all()
    if since is not None:
        tickets = tickets.filter(created_at__gte=since)
    if until is not None:
        tickets = tickets.filter(created_at__lt=until)
    open_tickets = tickets.exclude(status=closed) if closed is not None else tickets
    counts: dict[tuple[int | None, int | None], int] = {}
    for row in open_tickets.values("department_id", "priority_id").order_by():
        key = (row["department_id"], row["priority_id"])
        counts[key] = counts.get(key, 0) + 1
    priorities: list[tuple[int | None, str, str]] = [
        (p.pk, p.name, p.color) for p in TicketPriority.objects.order_by("position", "id")
    ]
    if any(pr is None for _, pr in counts):
        priorities.append((None, "—", "#6c757d"))
    departments: list[tuple[int | None, str]] = [(d.pk, d.name) for d in Department.objects.order_by("name", "id")]
    if any(dep is None for dep, _ in counts):
        departments.append((None, "—"))
    rows = []
    totals = [0] * len(priorities)
    for dep_id, dep_name in departments:
        line = [counts.get((dep_id, pr_id), 0) for pr_id, _, _ in priorities]
        totals = [a + b for a, b in zip(totals, line, strict=True)]
        rows.append({"department": dep_name, "counts": line, "total": sum(line)})
    table = Ticket._meta.db_table
    median = (
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ({end} - created_at)))"
        " FILTER (WHERE {end} IS NOT NULL)"
    )
    first_sql = median.format(end="first_response_at")
    resolution_sql = median.format(end="closed_at")
    # The period as parameters: NULL bounds leave that side open.
    period = "(%s::timestamptz IS NULL OR created_at >= %s) AND (%s::timestamptz IS NULL OR created_at < %s)"
    bounds = [since, since, until, until]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {first_sql}, {resolution_sql} FROM {table} WHERE {period}", bounds)  # noqa: S608
        first, resolution = cursor.fetchone()
        cursor.execute(
            f"SELECT assignee_id, count(*) FILTER (WHERE closed_at IS NULL), count(*) FILTER (WHERE closed_at IS NOT NULL),"  # noqa: S608
            f" {first_sql}, {resolution_sql} FROM {table} WHERE assignee_id IS NOT NULL AND {period}"
            " GROUP BY assignee_id",
            bounds,
        )
        per_staff = cursor.fetchall()
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[r[0] for r in per_staff])}
    staff = sorted(
        (
            StaffFigures(
                user_id=r[0],
                name=names.get(r[0], ""),
                open=r[1],
                closed=r[2],
                first_response=_seconds(r[3]),
                resolution=_seconds(r[4]),
            )
            for r in per_staff
        ),
        key=lambda s: s.name.lower(),
    )
    return TicketReport(
        priorities=priorities,
        rows=rows,
        totals=totals,
        first_response=_seconds(first),
        resolution=_seconds(resolution),
        staff=staff,
    )
