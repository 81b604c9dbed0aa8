"""Sample tasks for the demo company (called from crm/demo/seed.py after customers and deals).

Idempotent: does nothing once the company has any task, or while it has no customers.
Dates are relative to the day of seeding: some overdue, some today, the rest this week.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from crm.accounts.models import User
from crm.categories.models import TaskCategory
from crm.contacts.models import Customer
from crm.sales.models import Deal
from crm.tasks.models import Task, TaskVisibility
from crm.tasks.services import task_create

# title, category name, day offset, hour, done, private
TASKS: list[tuple[str, str, int, int, bool, bool]] = [
    ("Oddzwonić w sprawie oferty", "Telefon", -2, 10, False, False),
    ("Wysłać poprawioną ofertę", "Oferta", -1, 15, False, False),
    ("Spotkanie – prezentacja systemu", "Spotkanie", 0, 11, False, False),
    ("Potwierdzić termin dostawy", "E-mail", 0, 14, False, False),
    ("Przygotować umowę serwisową", "Oferta", 1, 9, False, False),
    ("Telefon do działu zakupów", "Telefon", 1, 13, False, False),
    ("Wizyta w oddziale klienta", "Spotkanie", 2, 10, False, False),
    ("Przypomnieć o fakturze proforma", "E-mail", 3, 12, False, False),
    ("Ocena rocznych wyników pracownika", "Inne", 4, 16, False, True),
    ("Podsumowanie negocjacji", "Inne", -3, 9, True, False),
    ("Zebrać wymagania techniczne", "Spotkanie", 6, 10, False, False),
    ("Wysłać materiały po szkoleniu", "E-mail", -4, 12, True, False),
]


def tasks_demo_seed() -> int:
    """Create the sample tasks; returns how many were created."""
    customers = list(Customer.objects.order_by("id")[: len(TASKS)])
    if not customers or Task.objects.exists():
        return 0
    staff = list(User.objects.filter(is_active=True).order_by("role", "id"))
    categories = {c.name: c for c in TaskCategory.objects.all()}
    deals_by_customer = {d.customer_id: d for d in Deal.objects.filter(customer__in=customers).order_by("id")}
    today = timezone.localdate()
    for index, (title, category, offset, hour, done, private) in enumerate(TASKS):
        customer = customers[index % len(customers)]
        assignee = staff[index % len(staff)] if staff else None
        due = timezone.make_aware(datetime.combine(today + timedelta(days=offset), time(hour, 0)))
        task_create(
            actor=staff[0] if staff and not private else assignee,
            title=title,
            description="",
            category=categories.get(category),
            starts_at=due - timedelta(hours=1),
            due_at=due,
            assignee=assignee,
            visibility=TaskVisibility.OWNER if private else TaskVisibility.EVERYONE,
            customer=customer,
            deal=deals_by_customer.get(customer.pk),
            done=done,
        )
    return len(TASKS)
