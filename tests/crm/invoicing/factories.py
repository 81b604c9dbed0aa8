"""Invoices for tests (call inside the company schema). `draft_make` goes through the
service (totals, rules) like the pages and the API; `issued_make` issues it too.
`InvoiceFactory`/`InvoiceLineFactory` make bare rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from crm.accounts.models import User
from crm.contacts.models import Customer
from crm.invoicing.models import Invoice, InvoiceLine
from crm.invoicing.services import LineData, invoice_create, invoice_issue
from tests.crm.contacts.factories import CustomerFactory

NIP_ALFA_BUYER = "5260250274"


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    customer = factory.SubFactory(CustomerFactory)
    issue_date = factory.LazyFunction(timezone.localdate)
    sale_date = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyFunction(timezone.localdate)


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    document = factory.SubFactory(InvoiceFactory)
    name = factory.Sequence(lambda n: f"Usługa {n}")
    net_price = Decimal("100.00")
    net_value = Decimal("100.00")


def line(name: str = "Wdrożenie CRM", net_price: str = "1000.00", **kwargs: Any) -> LineData:
    return LineData(name=name, net_price=Decimal(net_price), **kwargs)


def buyer_make(**kwargs: Any) -> Customer:
    kwargs.setdefault("name", "Hurtownia Śrubex Sp. z o.o.")
    kwargs.setdefault("tax_id", NIP_ALFA_BUYER)
    kwargs.setdefault("street", "ul. Długa 5")
    kwargs.setdefault("postal_code", "00-950")
    return CustomerFactory(**kwargs)


def draft_make(
    *, actor: User | None = None, customer: Customer | None = None, lines: list[LineData] | None = None, **kwargs: Any
) -> Invoice:
    return invoice_create(
        actor=actor,
        customer=customer or buyer_make(),
        lines=lines if lines is not None else [line()],
        **kwargs,
    )


def issued_make(*, today: date | None = None, **kwargs: Any) -> Invoice:
    return invoice_issue(invoice=draft_make(**kwargs), actor=None, today=today)
