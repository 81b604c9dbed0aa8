"""Factory for deals (call inside the company schema): W toku, no stage, for a new customer
unless told otherwise."""

from __future__ import annotations

import factory

from crm.categories.models import DealStatus, DealStatusCode
from crm.sales.models import Deal


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    name = factory.Sequence(lambda n: f"Szansa {n}")
    customer = factory.SubFactory("tests.crm.contacts.factories.CustomerFactory")
    status = factory.LazyFunction(lambda: DealStatus.objects.get(code=DealStatusCode.IN_PROGRESS))
