"""The company settings row (one per company schema, pk=1): `CompanySettingsFactory(
restrict_pracownik_to_own=True)` changes the existing row instead of adding a second one."""

from __future__ import annotations

from typing import Any

import factory

from crm.company.models import CompanySettings


class CompanySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanySettings

    @classmethod
    def _create(cls, model_class: type[CompanySettings], *args: Any, **kwargs: Any) -> CompanySettings:
        row, _created = model_class.objects.get_or_create(pk=1)
        for name, value in kwargs.items():
            setattr(row, name, value)
        row.save()
        return row
