from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmSettingsConfig(AppConfig):
    name = "crm.settings"
    label = "crmsettings"
    verbose_name = _("Ustawienia")
