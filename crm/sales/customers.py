"""Customers a user may pick in a deal or task form (visibility rule of the contacts app)."""

from __future__ import annotations

from typing import Any

from crm.contacts.models import Customer
from crm.contacts.selectors import customers_search, customers_visible_to

CHOICES_LIMIT = 20

__all__ = ["customer_choices", "customers_visible_to"]


def customer_choices(*, user: Any, query: str, limit: int = CHOICES_LIMIT) -> list[Customer]:
    """Up to `limit` visible customers matching `query` in name, e-mail, phone or NIP
    (case and Polish diacritics ignored)."""
    customers = customers_search(customers_visible_to(user), query or "")
    return list(customers.order_by("name", "id").only("id", "name")[:limit])
