"""Factories for time tracking (call inside the company schema)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from crm.accounts.models import User
from crm.projects.models import BillingType, Project
from crm.tasks.models import Task
from crm.timetracking.models import TimeEntry
from tests.crm.invoicing.factories import buyer_make


def project_make(*, members: list[User] = (), **kwargs: Any) -> Project:  # type: ignore[assignment]
    """A project billed by its hourly rate (150 PLN), for an invoiceable customer."""
    kwargs.setdefault("name", "Wdrożenie sklepu")
    kwargs.setdefault("customer", buyer_make())
    kwargs.setdefault("billing_type", BillingType.PROJECT_HOURS)
    kwargs.setdefault("rate", Decimal("150.00"))
    kwargs.setdefault("start_date", timezone.localdate() - timedelta(days=30))
    project = Project.objects.create(**kwargs)
    if members:
        project.members.set(members)
    return project


def task_make(project: Project, **kwargs: Any) -> Task:
    kwargs.setdefault("title", "Projekt graficzny")
    return Task.objects.create(project=project, **kwargs)


def ago(**delta: Any) -> datetime:
    return timezone.now() - timedelta(**delta)


def entry_make(*, project: Project, user: User, start: datetime, minutes: int = 60, **kwargs: Any) -> TimeEntry:
    """A finished entry written straight to the table (the services' rules are tested on their own)."""
    return TimeEntry.objects.create(
        project=project,
        user=user,
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        minutes=minutes,
        **kwargs,
    )
