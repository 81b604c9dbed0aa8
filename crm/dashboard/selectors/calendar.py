"""The signed-in user's week of tasks, and the team list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.accounts.models import User
from crm.dashboard.periods import local_tz, week_of
from crm.dashboard.selectors.scope import Scope
from crm.tasks.models import Task

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
        when = task.when
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
