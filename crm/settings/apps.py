from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmSettingsConfig(AppConfig):
    name = "crm.settings"
    label = "crmsettings"
    verbose_name = _("Ustawienia")

    def ready(self) -> None:
        from crm.accounts.access import api_access_rule_register
        from crm.settings.mfa import mfa_api_rule
        from tenants.signals_provision import company_provisioned

        company_provisioned.connect(_settings_row_create, dispatch_uid="crmsettings_row")
        api_access_rule_register(mfa_api_rule)  # required 2FA bars token and session API calls


def _settings_row_create(**kwargs: Any) -> None:
    from crm.settings.models import CompanySettings

    CompanySettings.objects.get_or_create(pk=1)
