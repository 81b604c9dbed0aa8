"""Every new company starts with its settings row."""

from __future__ import annotations

from typing import Any

from crm.company.models import CompanySettings


def company_settings_create(*, company: Any, owner: Any) -> None:
    CompanySettings.objects.get_or_create(pk=1)
