"""Builders and small helpers for the sales and tasks tests (call builders inside the company schema).
The builders are the factories (tests/crm/*/factories.py) with the defaults these tests count on."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from crm.categories.models import DealStage, DealStatus, LossReason, TaskCategory, WinReason
from crm.contacts.models import Customer
from crm.sales.models import Deal
from crm.tasks.models import Task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory

_seq = itertools.count(1)


def status(code: str) -> DealStatus:
    return DealStatus.objects.get(code=code)


def stages() -> list[DealStage]:
    return list(DealStage.objects.order_by("position", "id"))


def win_reason() -> WinReason:
    return WinReason.objects.order_by("id").first()  # type: ignore[return-value]


def loss_reason() -> LossReason:
    return LossReason.objects.order_by("id").first()  # type: ignore[return-value]


def task_category() -> TaskCategory:
    return TaskCategory.objects.order_by("position", "id").first()  # type: ignore[return-value]


def customer_make(**kwargs: Any) -> Customer:
    """A customer named "Klient Testowy N" with only a name and an address."""
    n = next(_seq)
    kwargs.setdefault("name", f"Klient Testowy {n}")
    kwargs.setdefault("email", f"biuro{n}@klient.test")
    kwargs.setdefault("phone", "")
    kwargs.setdefault("city", "")
    return CustomerFactory(**kwargs)


def deal_make(*, customer: Customer | None = None, **kwargs: Any) -> Deal:
    """A W toku deal worth 1000 at the first stage."""
    kwargs.setdefault("stage", stages()[0])
    kwargs.setdefault("value", Decimal("1000.00"))
    return DealFactory(customer=customer or customer_make(), **kwargs)


def task_make(**kwargs: Any) -> Task:
    return TaskFactory(**kwargs)
