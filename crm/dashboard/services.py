"""Writes of the dashboard: the home page layout of a rank, the quick-add task."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction

from crm.accounts.models import User
from crm.categories.models import TaskCategory
from crm.dashboard.models import HomepageLayout
from crm.dashboard.periods import local_tz
from crm.dashboard.widgets import DEFAULT_LAYOUTS, widgets_clean
from crm.tasks.models import Task
from crm.tasks.services import task_create

QUICK_TASK_DEFAULT_TIME = time(9, 0)


def layout_for_role(role: str) -> list[str]:
    row = HomepageLayout.objects.filter(role=role).values_list("widgets", flat=True).first()
    return widgets_clean(list(row)) if row is not None else list(DEFAULT_LAYOUTS.get(role, []))


@transaction.atomic
def layout_save(*, role: str, widgets: list[str], user: User) -> HomepageLayout:
    layout, _created = HomepageLayout.objects.update_or_create(
        role=role, defaults={"widgets": widgets_clean(widgets), "updated_by": user}
    )
    return layout


@transaction.atomic
def layout_reset(*, role: str) -> None:
    HomepageLayout.objects.filter(role=role).delete()


@transaction.atomic
def task_quick_add(
    *, user: User, title: str, due_date: date, due_time: time | None = None, category: TaskCategory | None = None
) -> Task:
    """A task in the user's own calendar, assigned to them (visibility: the model default),
    created through the tasks app's service so its rules and timeline apply."""
    due_at = datetime.combine(due_date, due_time or QUICK_TASK_DEFAULT_TIME, tzinfo=local_tz())
    return task_create(actor=user, title=title, due_at=due_at, starts_at=due_at, assignee=user, category=category)
