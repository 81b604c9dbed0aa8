"""Factory for products and services of the catalogue (call inside the company schema)."""

from __future__ import annotations

from decimal import Decimal

import factory

from crm.catalog.models import Product


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Usługa wdrożeniowa {n}")
    unit = "usł."
    net_price = Decimal("100.00")
    vat_rate = "23"
    currency = "PLN"
