"""Factories for projects (call inside the company schema): through the services, as the
product does."""

from __future__ import annotations

from datetime import date
from typing import Any

from crm.projects.models import Milestone, Project
from crm.projects.services import milestone_create, project_create
from crm.tasks.models import Task
from crm.tasks.services import task_create
from tests.crm.contacts.factories import CustomerFactory


def project_make(**kwargs: Any) -> Project:
    """A project for a new customer (unless given), billed by the project's hours."""
    if "customer" not in kwargs:
        kwargs["customer"] = CustomerFactory()
    kwargs.setdefault("actor", None)
    kwargs.setdefault("name", "Wdrożenie CRM")
    kwargs.setdefault("start_date", date(2027, 1, 4))
    return project_create(**kwargs)


def milestone_make(project: Project, **kwargs: Any) -> Milestone:
    kwargs.setdefault("actor", None)
    kwargs.setdefault("name", "Analiza")
    return milestone_create(project=project, **kwargs)


def task_in(project: Project, title: str = "Zadanie projektu", **kwargs: Any) -> Task:
    kwargs.setdefault("actor", None)
    return task_create(title=title, project=project, **kwargs)
