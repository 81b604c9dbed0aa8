"""Sample projects of the demo company (called from crm/demo/seed.py after the customers
and the tasks): three projects, one per billing type, with ordered milestones and tasks
(some done, one overdue). Idempotent: does nothing once the company has any project, or
while it has no customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from crm.accounts.models import Role, User
from crm.contacts.models import Customer
from crm.projects.models import BillingType, Project, ProjectStatus
from crm.projects.services import milestone_create, project_create
from crm.tasks.models import TaskVisibility
from crm.tasks.services import task_create


@dataclass(frozen=True)
class DemoProject:
    name: str
    status: str
    billing_type: str
    rate: str
    budget_hours: str | None
    started_days_ago: int
    length_days: int
    # milestone name, due in days from the start, [(task title, done, due in days from today)]
    milestones: tuple[tuple[str, int, tuple[tuple[str, bool, int], ...]], ...]


PROJECTS = [
    DemoProject(
        "Wdrożenie CRM",
        ProjectStatus.IN_PROGRESS,
        BillingType.PROJECT_HOURS,
        "180.00",
        "120.00",
        30,
        90,
        (
            ("Analiza wymagań", 14, (("Warsztat z działem sprzedaży", True, -20), ("Spisać wymagania", True, -16))),
            ("Konfiguracja", 45, (("Import klientów", True, -5), ("Ustawić etapy sprzedaży", False, -1))),
            ("Szkolenie i start", 80, (("Szkolenie zespołu", False, 20), ("Start produkcyjny", False, 45))),
        ),
    ),
    DemoProject(
        "Strona internetowa",
        ProjectStatus.NOT_STARTED,
        BillingType.FIXED,
        "15000.00",
        None,
        -7,
        60,
        (
            ("Projekt graficzny", 20, (("Makiety stron", False, 14),)),
            ("Wdrożenie", 55, (("Strony produktowe", False, 40), ("Formularz kontaktowy", False, 45))),
        ),
    ),
    DemoProject(
        "Serwis i utrzymanie 2026",
        ProjectStatus.IN_PROGRESS,
        BillingType.TASK_HOURS,
        "0",
        "40.00",
        60,
        365,
        (("Przeglądy kwartalne", 90, (("Przegląd I kwartału", True, -30), ("Przegląd II kwartału", False, 30))),),
    ),
]


def projects_demo_seed() -> int:
    """Create the demo projects; returns how many were made (0 when already there)."""
    customers = list(Customer.objects.order_by("id")[:10])
    if not customers or Project.objects.exists():
        return 0
    staff = list(User.objects.filter(is_active=True).order_by("role", "id"))
    owner = User.objects.filter(is_active=True, role=Role.SZEF).order_by("id").first()
    today = timezone.localdate()
    for index, demo in enumerate(PROJECTS):
        start = today - timedelta(days=demo.started_days_ago)
        project = project_create(
            actor=None,
            name=demo.name,
            customer=customers[index % len(customers)],
            status=demo.status,
            billing_type=demo.billing_type,
            rate=Decimal(demo.rate),
            budget_hours=Decimal(demo.budget_hours) if demo.budget_hours else None,
            start_date=start,
            deadline=start + timedelta(days=demo.length_days),
            description="",
            owner=owner,
            members=staff[:3],
        )
        for m_index, (name, due_in, tasks) in enumerate(demo.milestones):
            milestone = milestone_create(
                project=project, actor=None, name=name, due_date=start + timedelta(days=due_in)
            )
            for t_index, (title, done, due) in enumerate(tasks):
                assignee = staff[(m_index + t_index) % len(staff)] if staff else None
                task_create(
                    actor=owner,
                    title=title,
                    assignee=assignee,
                    due_at=timezone.make_aware(datetime.combine(today + timedelta(days=due), time(12, 0))),
                    visibility=TaskVisibility.EVERYONE,
                    project=project,
                    milestone=milestone,
                    hourly_rate=Decimal("150.00") if demo.billing_type == BillingType.TASK_HOURS else None,
                    done=done,
                )
    return len(PROJECTS)
