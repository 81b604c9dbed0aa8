"""Known data for the dashboard tests: rows with exact timestamps (auto_now_add
fields are overwritten after saving)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import factory

from crm.accounts.models import Role
from crm.categories.models import (
    ContactGroup,
    CustomerStatus,
    CustomerType,
    DealCategory,
    DealStage,
    DealStatus,
    LossReason,
    TaskCategory,
    WinReason,
)
from crm.contacts.models import Customer
from crm.contracts.models import Contract
from crm.dashboard.models import HomepageLayout
from crm.notes.models import Note
from crm.sales.models import Deal
from crm.tasks.models import Task

WAW = ZoneInfo("Europe/Warsaw")


def waw(*args: int) -> datetime:
    """A Warsaw wall-clock time, e.g. waw(2025, 3, 10, 0, 0)."""
    return datetime(*args, tzinfo=WAW)  # type: ignore[misc]


def status(code: str) -> CustomerStatus:
    return CustomerStatus.objects.get(code=code)


def customer(
    name: str,
    *,
    status_code: str | None = None,
    status_obj: CustomerStatus | None = None,
    type_name: str | None = None,
    owner: Any = None,
    created_at: datetime | None = None,
    last_contact_at: datetime | None = None,
    followers: tuple[Any, ...] = (),
    groups: tuple[ContactGroup, ...] = (),
) -> Customer:
    obj = Customer.objects.create(
        name=name,
        status=status_obj or (status(status_code) if status_code else None),
        type=CustomerType.objects.get(name=type_name) if type_name else None,
        owner=owner,
        last_contact_at=last_contact_at,
    )
    if created_at:
        Customer.objects.filter(pk=obj.pk).update(created_at=created_at)
        obj.created_at = created_at
    if followers:
        obj.followers.add(*followers)
    if groups:
        obj.groups.add(*groups)
    return obj


def deal(
    cust: Customer,
    *,
    value: str | int,
    status_code: str = "in_progress",
    status_obj: DealStatus | None = None,
    stage: str | None = None,
    category: str | None = None,
    owner: Any = None,
    created_at: datetime | None = None,
    closed_at: datetime | None = None,
    currency: str = "PLN",
    win_reason: str | None = None,
    loss_reason: str | None = None,
    name: str = "Szansa",
) -> Deal:
    obj = Deal.objects.create(
        name=name,
        customer=cust,
        value=Decimal(str(value)),
        currency=currency,
        status=status_obj or DealStatus.objects.get(code=status_code),
        stage=DealStage.objects.get(name=stage) if stage else None,
        category=DealCategory.objects.get(name=category) if category else None,
        owner=owner,
        closed_at=closed_at,
        win_reason=WinReason.objects.get(name=win_reason) if win_reason else None,
        loss_reason=LossReason.objects.get(name=loss_reason) if loss_reason else None,
    )
    if created_at:
        Deal.objects.filter(pk=obj.pk).update(created_at=created_at)
        obj.created_at = created_at
    return obj


def task(
    title: str,
    *,
    assignee: Any = None,
    created_by: Any = None,
    due_at: datetime | None = None,
    starts_at: datetime | None = None,
    done: bool = False,
    completed_at: datetime | None = None,
    visibility: str = "everyone",
    category: str | None = None,
    customer_obj: Customer | None = None,
) -> Task:
    return Task.objects.create(
        title=title,
        assignee=assignee,
        created_by=created_by,
        due_at=due_at,
        starts_at=starts_at,
        done=done,
        completed_at=completed_at,
        visibility=visibility,
        category=TaskCategory.objects.get(name=category) if category else None,
        customer=customer_obj,
    )


def note(cust: Customer, *, author: Any, created_at: datetime | None = None, body: str = "Notatka") -> Note:
    obj = Note.objects.create(customer=cust, author=author, body=body)
    if created_at:
        Note.objects.filter(pk=obj.pk).update(created_at=created_at)
    return obj


def contract(
    cust: Customer,
    *,
    value: str | int,
    start: date,
    created_at: datetime,
    owner: Any = None,
    currency: str = "PLN",
    status: str = "active",
    subject: str = "Umowa",
) -> Contract:
    """A contract of `cust` created (by its owner) at `created_at`, its period starting `start`."""
    obj = Contract.objects.create(
        subject=subject,
        customer=cust,
        value=Decimal(str(value)),
        currency=currency,
        start_date=start,
        status=status,
        owner=owner,
        created_by=owner,
    )
    Contract.objects.filter(pk=obj.pk).update(created_at=created_at)
    obj.created_at = created_at
    return obj


class HomepageLayoutFactory(factory.django.DjangoModelFactory):
    """The widgets one rank sees (`role=`, `widgets=[...]`); one row per rank."""

    class Meta:
        model = HomepageLayout
        django_get_or_create = ("role",)

    role = Role.PRACOWNIK
    widgets = factory.LazyFunction(list)
