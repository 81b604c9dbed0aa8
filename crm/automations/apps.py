from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationsConfig(AppConfig):
    name = "crm.automations"
    label = "automations"
    verbose_name = _("Automatyzacje")

    def ready(self) -> None:
        from crm.automations.services import event_received
        from crm.common.events import event_listener_register
        from crm.common.settings_pages import settings_page_register

        settings_page_register(url_name="automations:list", label=_("Automatyzacje"), icon="lightning", order=82)
        event_listener_register(event_received)
