"""Reads of logged time: who sees which project and entry, the running timer, the weekly
timesheet and what a project has logged and not billed yet.

Visibility: the projects app's rule (`crm.projects.selectors.projects_visible_to`: Szef and
Kierownik every project, a Pracownik those he owns or is a member of, a restricted one only
of customers he sees); entries on a visible project, and everyone's own entries. A Pracownik
changes only his own entries; Szef and Kierownik anyone's. A Pracownik's timesheet is
his own; Szef and Kierownik may open anyone's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.common.types import AuthUser
from crm.projects.models import BillingType, Project
from crm.projects.selectors import projects_visible_to
from crm.tasks.models import Task
from crm.timetracking.models import TimeEntry

CENT = Decimal("0.01")


def time_entries_visible_to(user: AuthUser) -> QuerySet[TimeEntry]:
    entries = TimeEntry.objects.all()
    if is_manager(user):
        return entries
    return entries.filter(Q(project__in=projects_visible_to(user)) | Q(user_id=user.pk))


def time_entry_may_change(user: AuthUser, entry: TimeEntry) -> bool:
    return is_manager(user) or entry.user_id == user.pk


def timesheet_users(user: AuthUser) -> QuerySet[User]:
    """The people whose timesheet `user` may open."""
    if is_manager(user):
        return User.objects.filter(Q(is_active=True) | Q(pk=user.pk)).order_by("name", "email")
    return User.objects.filter(pk=user.pk)


def time_entry_list(
    *,
    user: AuthUser,
    project_id: int | None = None,
    user_id: int | None = None,
    task_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[TimeEntry]:
    entries = time_entries_visible_to(user)
    if project_id:
        entries = entries.filter(project_id=project_id)
    if user_id:
        entries = entries.filter(user_id=user_id)
    if task_id:
        entries = entries.filter(task_id=task_id)
    if date_from:
        entries = entries.filter(started_at__gte=day_start(date_from))
    if date_to:
        entries = entries.filter(started_at__lt=day_start(date_to + timedelta(days=1)))
    return entries.select_related("project", "task", "user", "invoice").order_by("-started_at", "-id")


def running_entry(user: AuthUser) -> TimeEntry | None:
    return TimeEntry.objects.filter(user_id=user.pk, ended_at__isnull=True).select_related("project", "task").first()


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- the weekly timesheet ------------------------------------------------------------


@dataclass
class TimesheetRow:
    project: Project
    task: Task | None
    minutes: list[int] = field(default_factory=lambda: [0] * 7)

    @property
    def total(self) -> int:
        return sum(self.minutes)


@dataclass
class Timesheet:
    person: User
    monday: date
    rows: list[TimesheetRow]
    running: TimeEntry | None

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    @property
    def day_totals(self) -> list[int]:
        return [sum(row.minutes[i] for row in self.rows) for i in range(7)]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def timesheet(*, person: User, monday: date) -> Timesheet:
    """`person`'s finished entries of the week starting `monday`, by project and task; an
    entry counts on the day it started (local time)."""
    entries = (
        TimeEntry.objects.filter(
            user=person,
            ended_at__isnull=False,
            started_at__gte=day_start(monday),
            started_at__lt=day_start(monday + timedelta(days=7)),
        )
        .select_related("project", "task")
        .order_by("project__name", "project_id", "task_id")
    )
    rows: dict[tuple[int, int | None], TimesheetRow] = {}
    for entry in entries:
        key = (entry.project_id, entry.task_id)
        row = rows.setdefault(key, TimesheetRow(project=entry.project, task=entry.task))
        row.minutes[(timezone.localtime(entry.started_at).date() - monday).days] += entry.minutes
    ordered = sorted(
        rows.values(), key=lambda r: (r.project.name.lower(), r.project.pk, r.task.title if r.task else "")
    )
    return Timesheet(person=person, monday=monday, rows=ordered, running=running_entry(person))


# --- what a project has logged and not billed -------------------------------------------


def unbilled_entries(project: Project) -> QuerySet[TimeEntry]:
    """Finished billable entries of `project` not on any invoice (draft or issued)."""
    return TimeEntry.objects.filter(project=project, billable=True, ended_at__isnull=False, invoice__isnull=True)


def entry_rate(project: Project, entry: TimeEntry) -> Decimal:
    """The hourly rate an entry is billed at (0: nothing to bill for it)."""
    if project.billing_type == BillingType.PROJECT_HOURS:
        return project.rate
    if project.billing_type == BillingType.TASK_HOURS and entry.task is not None:
        return entry.task.hourly_rate or Decimal(0)
    return Decimal(0)


def fixed_price_billed(project: Project) -> bool:
    """A fixed-price project is billed once: some of its time is on an invoice already."""
    return TimeEntry.objects.filter(project=project, invoice__isnull=False).exists()


def hours_amount(minutes: int, rate: Decimal) -> Decimal:
    return (Decimal(minutes) / 60 * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def unbilled_amount(project: Project, entries: list[TimeEntry]) -> Decimal:
    """The net amount billing these unbilled entries would put on an invoice."""
    if project.billing_type == BillingType.FIXED:
        return Decimal(0) if not entries or fixed_price_billed(project) else project.rate
    by_rate: dict[Decimal, int] = defaultdict(int)
    for entry in entries:
        by_rate[entry_rate(project, entry)] += entry.minutes
    return sum((hours_amount(minutes, rate) for rate, minutes in by_rate.items()), Decimal(0))


@dataclass
class ProjectTime:
    logged_minutes: int
    budget_hours: Decimal | None
    unbilled: list[TimeEntry]
    unbilled_minutes: int
    unbilled_amount: Decimal
    currency: str

    @property
    def logged_hours(self) -> Decimal:
        return (Decimal(self.logged_minutes) / 60).quantize(CENT)

    @property
    def budget_percent(self) -> int | None:
        if not self.budget_hours:
            return None
        return int(self.logged_hours / self.budget_hours * 100)

    @property
    def over_budget(self) -> bool:
        return self.budget_hours is not None and self.logged_hours > self.budget_hours


def project_time(project: Project) -> ProjectTime:
    logged = TimeEntry.objects.filter(project=project).aggregate(total=Sum("minutes"))["total"] or 0
    unbilled = list(unbilled_entries(project).select_related("task"))
    return ProjectTime(
        logged_minutes=logged,
        budget_hours=project.budget_hours,
        unbilled=unbilled,
        unbilled_minutes=sum(e.minutes for e in unbilled),
        unbilled_amount=unbilled_amount(project, unbilled),
        currency=project.currency,
    )
