from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "crm.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooki")

    def ready(self) -> None:
        from crm.common.events import event_listener_register
        from crm.common.settings_pages import settings_page_register
        from crm.company.models import settings_annotation_register
        from crm.webhooks.services import event_received, subscribed_events

        settings_page_register(url_name="webhooks:list", label=_("Webhooki"), icon="broadcast", order=80)
        event_listener_register(event_received)
        settings_annotation_register("webhook_events", subscribed_events)
