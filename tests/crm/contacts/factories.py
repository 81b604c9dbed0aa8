"""Small builders for customers, contacts, deals and tasks (call inside the company schema)."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from crm.categories.models import DealStatus, DealStatusCode
from crm.contacts.models import ContactPerson, Customer, CustomerKind
from crm.sales.models import Deal
from crm.tasks.models import Task

_seq = itertools.count(1)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    kind = CustomerKind.COMPANY
    name = factory.Sequence(lambda n: f"Firma Testowa {n} Sp. z o.o.")
    email = factory.Sequence(lambda n: f"biuro{n}@firma-testowa.pl")
    phone = factory.Sequence(lambda n: f"+48 600 {n % 1000:03d} {n % 997:03d}")
    city = "Warszawa"

    @factory.post_generation
    def groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.set(extracted)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Jan Kowalski {n}")
    position = "Kierownik zakupów"
    email = factory.Sequence(lambda n: f"jan{n}@firma-testowa.pl")


def deal_make(customer: Customer, **kwargs: Any) -> Deal:
    status = DealStatus.objects.get(code=DealStatusCode.IN_PROGRESS)
    kwargs.setdefault("name", f"Szansa {next(_seq)}")
    return Deal.objects.create(customer=customer, status=status, **kwargs)


def task_make(**kwargs: Any) -> Task:
    kwargs.setdefault("title", f"Zadanie {next(_seq)}")
    return Task.objects.create(**kwargs)
