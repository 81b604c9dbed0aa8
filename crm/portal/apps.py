from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "crm.portal"
    label = "portal"
    verbose_name = _("Portal klienta")

    def ready(self) -> None:
        from crm.contacts.services import portal_enabled_listeners
        from crm.portal.services import portal_invitation_send_for

        if portal_invitation_send_for not in portal_enabled_listeners:
            portal_enabled_listeners.append(portal_invitation_send_for)
