"""Factories for customers, their contact persons and CSV imports (call inside the company
schema). `deal_make`/`task_make` are kept for the tests that use them: they are the sales
and tasks factories under their old names."""

from __future__ import annotations

from typing import Any

import factory

from crm.contacts.models import ContactPerson, Customer, CustomerImport, CustomerKind
from crm.sales.models import Deal
from crm.tasks.models import Task
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    kind = CustomerKind.COMPANY
    name = factory.Sequence(lambda n: f"Firma Testowa {n} Sp. z o.o.")
    email = factory.Sequence(lambda n: f"biuro{n}@firma-testowa.pl")
    phone = factory.Sequence(lambda n: f"+48 600 {n % 1000:03d} {n % 997:03d}")
    city = "Warszawa"

    @factory.post_generation
    def groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.set(extracted)

    @factory.post_generation
    def followers(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.followers.set(extracted)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Jan Kowalski {n}")
    position = "Kierownik zakupów"
    email = factory.Sequence(lambda n: f"jan{n}@firma-testowa.pl")


class CustomerImportFactory(factory.django.DjangoModelFactory):
    """An uploaded CSV file, not yet mapped or queued."""

    class Meta:
        model = CustomerImport

    file = factory.django.FileField(filename="klienci.csv", data="Nazwa;E-mail\nFirma Testowa;biuro@firma.test\n")
    original_name = "klienci.csv"
    delimiter = ";"
    header = factory.LazyFunction(lambda: ["Nazwa", "E-mail"])


def deal_make(customer: Customer, **kwargs: Any) -> Deal:
    return DealFactory(customer=customer, **kwargs)


def task_make(**kwargs: Any) -> Task:
    return TaskFactory(**kwargs)
