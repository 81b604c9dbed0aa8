"""Factories for offers and their lines (call inside the company schema). `offer_make`
builds a draft through the service, so its totals are computed as in the product."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from crm.documents.lines import LineData
from crm.offers.models import Offer, OfferLine
from crm.offers.services import offer_create
from tests.crm.contacts.factories import CustomerFactory


class OfferFactory(factory.django.DjangoModelFactory):
    """A bare draft offer row (no lines, zero totals)."""

    class Meta:
        model = Offer

    customer = factory.SubFactory("tests.crm.contacts.factories.CustomerFactory")
    issue_date = factory.LazyFunction(timezone.localdate)


class OfferLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferLine

    document = factory.SubFactory(OfferFactory)
    name = factory.Sequence(lambda n: f"Pozycja {n}")
    net_price = Decimal("100.00")
    net_value = Decimal("100.00")


LINES = (
    LineData(name="Wdrożenie systemu", quantity=Decimal(1), unit="usł.", net_price=Decimal("1000.00"), vat_rate="23"),
    LineData(name="Szkolenie", quantity=Decimal(2), unit="godz.", net_price=Decimal("150.00"), vat_rate="8"),
)


def offer_make(*, lines: Sequence[LineData] = LINES, **kwargs: Any) -> Offer:
    """A draft for a new customer (unless given) with two lines: 1000 at 23% and 2 x 150 at 8%
    (net 1300.00, VAT 230.00 + 24.00, gross 1554.00), valid for 30 days."""
    if "customer" not in kwargs:
        kwargs["customer"] = CustomerFactory(email="zakupy@klient.test")
    kwargs.setdefault("actor", None)
    kwargs.setdefault("valid_until", timezone.localdate() + timedelta(days=30))
    return offer_create(lines=list(lines), **kwargs)
