"""Reads of tasks: who sees which task, the list views, the board and the calendar.

`tasks_visible_to(user)` is the one visibility rule for tasks (pages, API, the
dashboard). A task with visibility "owner" is private: only its assignee and its
creator see it, whatever their rank. Tasks with visibility "everyone" are seen by
all staff; when Szef restricts Pracownik to their own records, a Pracownik sees
their own tasks plus those shared with everyone, in both cases only where the linked
customer and deal are his. `task_change_check` is the one rule for changing and
deleting a task (Szef and Kierownik: any; Pracownik: created or assigned).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.categories.models import TaskCategory
from crm.common.records import record_type
from crm.sales.customers import customers_visible_to
from crm.sales.selectors import deals_visible_to, top_ids_per_group
from crm.tasks.models import Task, TaskVisibility


def tasks_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Task]:
    """Every task `user` may see (and therefore open and count)."""
    return Task.objects.filter(task_visible_q(user, everything=everything))


def task_visible_q(user: User, *, everything: bool | None = None) -> Q:
    """Own tasks (assigned or created) and those shared with everyone; for a restricted
    Pracownik only those whose customer and deal he may see, so no task shows the
    name of a customer hidden from him."""
    seen = Q(assignee_id=user.pk) | Q(created_by_id=user.pk) | Q(visibility=TaskVisibility.EVERYONE)
    if everything is None:
        everything = sees_everything(user)
    if everything:
        return seen
    customers = customers_visible_to(user, everything=False).values("pk")
    deals = deals_visible_to(user, everything=False).values("pk")
    customer_ok = Q(customer__isnull=True) | Q(customer_id__in=customers)
    deal_ok = Q(deal__isnull=True) | Q(deal_id__in=deals)
    return seen & customer_ok & deal_ok


def task_project_choices(user: User) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The projects and milestones `user` may put a task in: the projects app registers
    who sees which project in the record registry (tasks do not import it)."""
    project_model = Task._meta.get_field("project").related_model
    milestone_model = Task._meta.get_field("milestone").related_model
    assert isinstance(project_model, type) and isinstance(milestone_model, type)
    try:
        projects = record_type("project").visible(user)
    except KeyError:  # pragma: no cover - the projects app is always installed
        projects = project_model._default_manager.none()
    milestones = milestone_model._default_manager.filter(project__in=projects.values("pk"))
    return projects.order_by("name", "id"), milestones.select_related("project")


def task_may_change(user: User | AnonymousUser, task: Task) -> bool:
    """Szef and Kierownik change and delete every task they see; a Pracownik only the
    tasks he created or is assigned."""
    return may_change_owned(user, task.created_by_id, task.assignee_id)


def task_change_check(user: User | AnonymousUser, task: Task) -> None:
    """PermissionDenied (403) unless `user` may change or delete `task`."""
    if not task_may_change(user, task):
        raise PermissionDenied(_("Zmieniać i usuwać zadanie może jego autor, osoba przypisana, Kierownik albo Szef."))


# --- List views -------------------------------------------------------------------

LIST_VIEWS = ("mine", "overdue", "today", "week", "all", "done")
# Orders of the list and the API (`?sort=` / `?ordering=`; `-` descending); titles in
# Polish order (the column's ICU collation). Without one: by due date, open tasks first
# (the "done" view: most recently completed first).
TASK_SORTS: dict[str, tuple[Any, ...]] = {
    "due": ("done", F("due_at").asc(nulls_last=True), "id"),
    "-due": ("done", F("due_at").desc(nulls_last=True), "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}
BOARD_CARDS_PER_COLUMN = 30
CALENDAR_TASKS_PER_DAY = 4  # month view; the week view shows more
CALENDAR_WEEK_TASKS_PER_DAY = 12


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def task_list(
    *,
    user: User,
    view: str = "mine",
    category_id: int | None = None,
    assignee_id: int | None = None,
    day: date | None = None,
    customer_id: int | None = None,
    deal_id: int | None = None,
    now: datetime | None = None,
    sort: str = "",
    project_id: int | None = None,
    milestone_id: int | None = None,
) -> QuerySet[Task]:
    """Tasks of one list view: mine (assigned to me, open), overdue, today, this week,
    all, done; optional filters by category, assignee, customer, deal or one day; in the
    order `sort` names (TASK_SORTS), else the view's own."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tasks = tasks_visible_to(user)
    if view == "mine":
        tasks = tasks.filter(assignee_id=user.pk, done=False)
    elif view == "overdue":
        tasks = tasks.filter(done=False, due_at__lt=now)
    elif view == "today":
        start, end = _local_day_bounds(today)
        tasks = tasks.filter(due_at__gte=start, due_at__lt=end)
    elif view == "week":
        start = _local_day_bounds(week_start(today))[0]
        tasks = tasks.filter(due_at__gte=start, due_at__lt=start + timedelta(days=7))
    elif view == "done":
        tasks = tasks.filter(done=True)
    if category_id:
        tasks = tasks.filter(category_id=category_id)
    if assignee_id:
        tasks = tasks.filter(assignee_id=assignee_id)
    if customer_id:
        tasks = tasks.filter(customer_id=customer_id)
    if deal_id:
        tasks = tasks.filter(deal_id=deal_id)
    if project_id:
        tasks = tasks.filter(project_id=project_id)
    if milestone_id:
        tasks = tasks.filter(milestone_id=milestone_id)
    if day:
        start, end = _local_day_bounds(day)
        tasks = tasks.filter(due_at__gte=start, due_at__lt=end)
    if sort in TASK_SORTS:
        order = TASK_SORTS[sort]
    else:
        order = ("-completed_at", "-id") if view == "done" else TASK_SORTS["due"]
    return tasks.select_related("category", "assignee", "customer", "deal").order_by(*order)


def tasks_of_customer(*, user: User, customer_id: int) -> QuerySet[Task]:
    """Tasks of one customer that `user` may see (for the customer card's tasks tab)."""
    return task_list(user=user, view="all", customer_id=customer_id)


# --- Board --------------------------------------------------------------------------


@dataclass
class TaskColumn:
    key: str  # category id, "" (no category), "todo" or "done"
    title: str
    color: str = ""
    count: int = 0
    tasks: list[Task] = field(default_factory=list)


# What a board card shows: fewer columns to read and parse.
CARD_FIELDS = (
    "id",
    "title",
    "due_at",
    "done",
    "completed_at",
    "category",
    "category__name",
    "category__color",
    "customer",
    "customer__name",
    "assignee",
    "assignee__name",
    "created_by",  # with "assignee": whether the viewer may move the card
    "assignee__email",
)
DUE_ORDER = (F("due_at").asc(nulls_last=True), "id")
DONE_ORDER = ("-completed_at", "-id")  # matches task_done_completed_idx (DESC, nulls first)


def _cards(tasks: QuerySet[Task], *, groups: list[Q], order_by: Sequence[Any], limit: int) -> list[Task]:
    """The first `limit` tasks of every group (two queries, index scans only)."""
    ids = top_ids_per_group(tasks, groups=groups, order_by=order_by, limit=limit)
    cards = Task.objects.filter(pk__in=ids).select_related("category", "assignee", "customer")
    return list(cards.only(*CARD_FIELDS))


def _by_due(task: Task) -> tuple[bool, datetime, int]:
    return (task.due_at is None, task.due_at or datetime.min.replace(tzinfo=UTC), task.pk)


def task_board(
    *,
    user: User,
    by: str = "category",
    assignee_id: int | None = None,
    per_column: int = BOARD_CARDS_PER_COLUMN,
) -> list[TaskColumn]:
    """Columns of the task board, by category (open tasks) or by state (to do / done);
    a fixed number of queries whatever the number of tasks."""
    tasks = tasks_visible_to(user)
    if assignee_id:
        tasks = tasks.filter(assignee_id=assignee_id)
    if by == "state":
        columns = {
            "todo": TaskColumn(key="todo", title=str(_("Do zrobienia")), color="#3498db"),
            "done": TaskColumn(key="done", title=str(_("Wykonane")), color="#27ae60"),
        }
        for row in tasks.values("done").annotate(n=Count("id")).order_by():
            columns["done" if row["done"] else "todo"].count = row["n"]
        todo = _cards(tasks, groups=[Q(done=False)], order_by=DUE_ORDER, limit=per_column)
        done = _cards(tasks, groups=[Q(done=True)], order_by=DONE_ORDER, limit=per_column)
        columns["todo"].tasks = sorted(todo, key=_by_due)
        columns["done"].tasks = sorted(
            done, key=lambda t: (t.completed_at or datetime.min.replace(tzinfo=UTC), t.pk), reverse=True
        )
        return list(columns.values())
    open_tasks = tasks.filter(done=False)
    by_category: dict[str, TaskColumn] = {
        str(c.pk): TaskColumn(key=str(c.pk), title=c.name, color=c.color)
        for c in TaskCategory.objects.order_by("position", "id")
    }
    by_category[""] = TaskColumn(key="", title=str(_("Bez kategorii")))
    for row in open_tasks.values("category_id").annotate(n=Count("id")).order_by():
        key = str(row["category_id"] or "")
        if key in by_category:
            by_category[key].count = row["n"]
    groups = [Q(category_id=int(key)) if key else Q(category_id__isnull=True) for key in by_category]
    for task in sorted(_cards(open_tasks, groups=groups, order_by=DUE_ORDER, limit=per_column), key=_by_due):
        key = str(task.category_id or "")
        if key in by_category:
            by_category[key].tasks.append(task)
    if not by_category[""].count:
        del by_category[""]
    return list(by_category.values())


# --- Calendar -----------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: date
    in_month: bool = True
    count: int = 0
    tasks: list[Task] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.tasks)

    @property
    def iso(self) -> str:
        return self.day.isoformat()


_PROBE_FROM = datetime(1901, 1, 1, tzinfo=UTC)
_PROBE_TO = datetime(1901, 1, 2, tzinfo=UTC)


def _top_ids_per_day(tasks: QuerySet[Task], *, days: list[date], limit: int) -> list[int]:
    """Ids of the first `limit` tasks (by due time) of every day, in one UNION ALL of
    index scans. The per-day SELECT is compiled once (with probe dates) and repeated
    with each day's bounds: compiling 42 querysets costs more than running them."""
    if not days:
        return []
    part = tasks.filter(due_at__gte=_PROBE_FROM, due_at__lt=_PROBE_TO).order_by("due_at", "id")
    sql, params = part.values_list("id", flat=True)[:limit].query.sql_with_params()
    slots = [i for i, value in enumerate(params) if value in (_PROBE_FROM, _PROBE_TO)]
    if len(slots) != 2:  # the probe dates must map to exactly the two bounds
        raise RuntimeError("unexpected SQL for the calendar query")
    all_params: list[Any] = []
    for day in days:
        bounds = _local_day_bounds(day)
        day_params = list(params)
        for slot in slots:
            day_params[slot] = bounds[0] if params[slot] == _PROBE_FROM else bounds[1]
        all_params += day_params
    with connections[tasks.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"({sql})" for _day in days), all_params)
        return [row[0] for row in cursor.fetchall()]


def calendar_range(*, mode: str, anchor: date) -> tuple[date, date]:
    """First and last day (inclusive) shown: whole weeks around the month, or one week."""
    if mode == "week":
        first = week_start(anchor)
        return first, first + timedelta(days=6)
    first_of_month = anchor.replace(day=1)
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    first = week_start(first_of_month)
    last = week_start(next_month - timedelta(days=1)) + timedelta(days=6)
    return first, last


def task_calendar(
    *, user: User, mode: str, anchor: date, assignee_id: int | None = None, per_day: int | None = None
) -> list[list[CalendarDay]]:
    """Weeks of days with their tasks (by due time, local days); per day at most
    `per_day` tasks plus the count. A fixed number of queries."""
    per_day = per_day or (CALENDAR_TASKS_PER_DAY if mode == "month" else CALENDAR_WEEK_TASKS_PER_DAY)
    first, last = calendar_range(mode=mode, anchor=anchor)
    start = _local_day_bounds(first)[0]
    end = _local_day_bounds(last)[1]
    tasks = tasks_visible_to(user).filter(due_at__gte=start, due_at__lt=end)
    if assignee_id:
        tasks = tasks.filter(assignee_id=assignee_id)
    local_day = TruncDate("due_at", tzinfo=timezone.get_current_timezone())
    days: dict[date, CalendarDay] = {}
    current = first
    while current <= last:
        days[current] = CalendarDay(day=current, in_month=mode == "week" or current.month == anchor.month)
        current += timedelta(days=1)
    for row in tasks.annotate(day=local_day).values("day").annotate(n=Count("id")).order_by():
        if row["day"] in days:
            days[row["day"]].count = row["n"]
    ids = _top_ids_per_day(tasks, days=list(days), limit=per_day)
    cards = (
        Task.objects.filter(pk__in=ids)
        .select_related("category")
        .only(
            "id", "title", "due_at", "done", "category", "category__name", "category__color", "created_by", "assignee"
        )
    )
    for task in sorted(cards, key=_by_due):
        day = timezone.localdate(task.due_at)
        if day in days:
            days[day].tasks.append(task)
    ordered = list(days.values())
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
