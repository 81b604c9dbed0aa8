from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmSettingsConfig(AppConfig):
    name = "crm.settings"
    label = "crmsettings"
    verbose_name = _("Ustawienia")

    def ready(self) -> None:
        from crm.accounts.access import api_access_rule_register
        from crm.settings.mfa import mfa_api_rule

        api_access_rule_register(mfa_api_rule)  # required 2FA bars token and session API calls
