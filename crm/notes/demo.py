"""Sample notes on the demo company's customers (idempotent: a customer that has
notes already gets none)."""

from __future__ import annotations

from crm.accounts.models import User
from crm.contacts.demo import CUSTOMERS, NOTES
from crm.contacts.models import Customer
from crm.notes.models import Note


def notes_demo_seed() -> int:
    created = 0
    fallback = User.objects.filter(is_active=True).order_by("id").first()
    for index, bodies in NOTES.items():
        customer = Customer.objects.filter(name=CUSTOMERS[index][0]).select_related("owner").first()
        if customer is None or Note.objects.filter(customer=customer).exists():
            continue
        for body in bodies:
            Note.objects.create(customer=customer, body=body, author=customer.owner or fallback)
            created += 1
    return created
