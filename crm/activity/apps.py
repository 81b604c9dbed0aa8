from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from crm.common.settings_pages import settings_page_register


class ActivityConfig(AppConfig):
    name = "crm.activity"
    label = "activity"
    verbose_name = _("Dziennik aktywności")

    def ready(self) -> None:
        from crm.activity import signals

        signals.connect()
        settings_page_register(
            url_name="crmsettings:activity", label=_("Dziennik aktywności"), icon="clock-history", order=90
        )
