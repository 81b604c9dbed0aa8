"""Factories for expenses and their categories (call inside the company schema).
An expense is 100,00 net at 23% (23,00 VAT, 123,00 gross), dated today, without a
customer; the amounts are stored as given (the services compute them for real input)."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from crm.expenses.models import Expense, ExpenseCategory


class ExpenseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseCategory

    name = factory.Sequence(lambda n: f"Kategoria wydatków {n}")
    color = factory.Sequence(lambda n: f"#{(n * 2654435761) % 0xFFFFFF:06x}")
    position = factory.Sequence(lambda n: 100 + n)


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    name = factory.Sequence(lambda n: f"Wydatek {n}")
    date = factory.LazyFunction(timezone.localdate)
    amount = Decimal("100.00")
    vat_rate = "23"
    vat_amount = Decimal("23.00")
    gross_amount = Decimal("123.00")
    currency = "PLN"
