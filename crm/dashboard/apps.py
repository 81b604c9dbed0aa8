from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from crm.common.settings_pages import settings_page_register


class DashboardConfig(AppConfig):
    name = "crm.dashboard"
    label = "dashboard"
    verbose_name = _("Pulpit")

    def ready(self) -> None:
        settings_page_register(
            url_name="dashboard_settings:homepage", label=_("Strona główna"), icon="house", order=100
        )
