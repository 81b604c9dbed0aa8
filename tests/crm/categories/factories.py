"""Factories for the colour-labelled categories (call inside a company schema). Names are
unique per company, case-insensitively: the sequences keep them apart from seed 003's."""

from __future__ import annotations

import factory

from crm.categories.models import (
    ContactGroup,
    ContactSource,
    CustomerStatus,
    CustomerType,
    DealCategory,
    DealStage,
    DealStatus,
    LossReason,
    TaskCategory,
    WinReason,
)


class _CategoryFactory(factory.django.DjangoModelFactory):
    color = factory.Sequence(lambda n: f"#{(n * 2654435761) % 0xFFFFFF:06x}")
    position = factory.Sequence(lambda n: 100 + n)


class ContactGroupFactory(_CategoryFactory):
    class Meta:
        model = ContactGroup

    name = factory.Sequence(lambda n: f"Grupa {n}")


class ContactSourceFactory(_CategoryFactory):
    class Meta:
        model = ContactSource

    name = factory.Sequence(lambda n: f"Źródło {n}")


class CustomerStatusFactory(_CategoryFactory):
    class Meta:
        model = CustomerStatus

    name = factory.Sequence(lambda n: f"Status klienta {n}")


class CustomerTypeFactory(_CategoryFactory):
    class Meta:
        model = CustomerType

    name = factory.Sequence(lambda n: f"Typ klienta {n}")


class TaskCategoryFactory(_CategoryFactory):
    class Meta:
        model = TaskCategory

    name = factory.Sequence(lambda n: f"Kategoria zadań {n}")


class DealCategoryFactory(_CategoryFactory):
    class Meta:
        model = DealCategory

    name = factory.Sequence(lambda n: f"Kategoria sprzedaży {n}")


class DealStatusFactory(_CategoryFactory):
    """A custom sales status (no `code`: it behaves like W toku)."""

    class Meta:
        model = DealStatus

    name = factory.Sequence(lambda n: f"Status sprzedaży {n}")


class DealStageFactory(_CategoryFactory):
    class Meta:
        model = DealStage

    name = factory.Sequence(lambda n: f"Etap {n}")


class WinReasonFactory(_CategoryFactory):
    class Meta:
        model = WinReason

    name = factory.Sequence(lambda n: f"Powód wygranej {n}")


class LossReasonFactory(_CategoryFactory):
    class Meta:
        model = LossReason

    name = factory.Sequence(lambda n: f"Powód przegranej {n}")
