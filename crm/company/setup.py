"""Every new company starts with its settings row."""

from __future__ import annotations

from crm.common.types import AuthUser
from crm.company.models import CompanySettings
from tenants.models import Company


def company_settings_create(*, company: Company, owner: AuthUser) -> None:
    CompanySettings.objects.get_or_create(pk=1)
