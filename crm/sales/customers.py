"""Customers a user may pick in a deal or task form (visibility rule of the contacts app)."""

from __future__ import annotations

from crm.accounts.models import User
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_search, customers_visible_to

CHOICES_LIMIT = 20

__all__ = ["customer_choices", "customers_visible_to"]


def customer_choices(*, user: User, query: str, limit: int = CHOICES_LIMIT) -> list[Customer]:
    """Up to `limit` visible customers matching `query` in name, e-mail, phone or NIP
    (case and Polish diacritics ignored)."""
    customers = customers_search(customers_visible_to(user), query or "")
    return list(customers.order_by("name", "id").only("id", "name")[:limit])
