from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "crm.backups"
    label = "backups"
    verbose_name = _("Kopie zapasowe")

    def ready(self) -> None:
        from crm.common.settings_pages import settings_page_register

        settings_page_register(url_name="backups:list", label=_("Kopie zapasowe"), icon="archive", order=95)
