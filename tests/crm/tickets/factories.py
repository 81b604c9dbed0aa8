"""Factories for tickets (call inside the company schema). `ticket_make` opens a ticket
through the service, as the product does."""

from __future__ import annotations

from typing import Any

from crm.contacts.models import ContactPerson
from crm.tickets.models import Department, Ticket
from crm.tickets.services import ticket_create
from tests.crm.contacts.factories import ContactPersonFactory


def contact_make(**kwargs: Any) -> ContactPerson:
    kwargs.setdefault("email", "anna@klient.test")
    return ContactPersonFactory(**kwargs)


def department_make(name: str = "Wsparcie", email: str = "pomoc@firma.test", members: Any = ()) -> Department:
    department = Department.objects.create(name=name, email=email)
    department.members.set(list(members))
    return department


def ticket_make(**kwargs: Any) -> Ticket:
    """A ticket of a new contact person (anna@klient.test) and its customer, unless given."""
    if "contact" not in kwargs and "customer" not in kwargs:
        kwargs["contact"] = contact_make()
    kwargs.setdefault("actor", None)
    kwargs.setdefault("subject", "Drukarka nie drukuje")
    kwargs.setdefault("body", "Od rana drukarka pokazuje błąd.")
    return ticket_create(**kwargs)
