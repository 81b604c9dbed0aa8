"""Reads of tasks: who sees which task, the list views, the board and the calendar.

`tasks_visible_to(user)` is the one visibility rule for tasks (pages, API, the
dashboard). A task with visibility "owner" is private: only its assignee and its
creator see it, whatever their rank. Tasks with visibility "everyone" are seen by
all staff; when Szef restricts Pracownik to their own records, a Pracownik still
sees their own tasks plus those shared with everyone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from crm.tasks.models import Task, TaskVisibility


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    """Every task `user` may see (and therefore open, edit, count)."""
    # The same set for every rank: the restriction switch narrows a Pracownik to
    # "own + shared with everyone", which is exactly what private tasks allow anyway.
    return Task.objects.filter(task_visible_q(user))


def task_visible_q(user: Any) -> Q:
    return Q(assignee_id=user.pk) | Q(created_by_id=user.pk) | Q(visibility=TaskVisibility.EVERYONE)
