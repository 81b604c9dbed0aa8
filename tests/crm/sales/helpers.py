"""Builders and small helpers for the sales and tasks tests (call builders inside the company schema)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django_tenants.utils import schema_context

from crm.categories.models import DealStage, DealStatus, LossReason, TaskCategory, WinReason
from crm.contacts.models import Customer
from crm.sales.models import Deal
from crm.tasks.models import Task
from tenants.models import Company
from tests.support.api_tokens import api_key_for

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
    n = next(_seq)
    kwargs.setdefault("name", f"Klient Testowy {n}")
    kwargs.setdefault("email", f"biuro{n}@klient.test")
    return Customer.objects.create(**kwargs)


def deal_make(*, customer: Customer | None = None, **kwargs: Any) -> Deal:
    kwargs.setdefault("name", f"Szansa {next(_seq)}")
    kwargs.setdefault("status", status("in_progress"))
    kwargs.setdefault("stage", stages()[0])
    kwargs.setdefault("value", Decimal("1000.00"))
    return Deal.objects.create(customer=customer or customer_make(), **kwargs)


def task_make(**kwargs: Any) -> Task:
    kwargs.setdefault("title", f"Zadanie {next(_seq)}")
    return Task.objects.create(**kwargs)


def token_for(company: Company, user: Any) -> dict[str, str]:
    """Headers authenticating `user` by API token in `company`."""
    with schema_context(company.schema_name):
        key = api_key_for(user)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def restrict_pracownik(company: Company, on: bool = True) -> None:
    from crm.company.models import CompanySettings

    with schema_context(company.schema_name):
        settings = CompanySettings.current()
        settings.restrict_pracownik_to_own = on
        settings.save()
