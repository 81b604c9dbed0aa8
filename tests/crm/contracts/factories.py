"""Factories for contracts (call inside the company schema). `contract_make` builds a
draft through the service, as the product does."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from crm.contracts.models import Contract, ContractType
from crm.contracts.services import contract_create
from tests.crm.contacts.factories import CustomerFactory


def contract_make(**kwargs: Any) -> Contract:
    """A draft service contract for a new customer (unless given), 12000 PLN for a year."""
    if "customer" not in kwargs:
        kwargs["customer"] = CustomerFactory(email="umowy@klient.test")
    kwargs.setdefault("actor", None)
    kwargs.setdefault("subject", "Obsługa serwisowa 2027")
    kwargs.setdefault("value", Decimal("12000.00"))
    kwargs.setdefault("type", ContractType.objects.order_by("position").first())
    kwargs.setdefault("start_date", timezone.localdate())
    kwargs.setdefault("end_date", timezone.localdate() + timedelta(days=365))
    kwargs.setdefault("description", "Wykonawca świadczy usługi serwisowe.\nZamawiający płaci co miesiąc.")
    return contract_create(**kwargs)
