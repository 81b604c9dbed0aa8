from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "crm.portal"
    label = "portal"
    verbose_name = _("Portal klienta")

    def ready(self) -> None:
        from crm.common.records import CardSection, card_section_register
        from crm.common.settings_pages import settings_page_register
        from crm.contacts.services import portal_enabled_listeners
        from crm.portal.services import portal_contact_forget, portal_customer_forget, portal_invitation_send_for
        from crm.portal.views_staff import card_context
        from crm.privacy.anonymise import contact_anonymise_listeners, customer_anonymise_listeners

        if portal_invitation_send_for not in portal_enabled_listeners:
            portal_enabled_listeners.append(portal_invitation_send_for)
        if portal_contact_forget not in contact_anonymise_listeners:
            contact_anonymise_listeners.append(portal_contact_forget)
        if portal_customer_forget not in customer_anonymise_listeners:
            customer_anonymise_listeners.append(portal_customer_forget)
        card_section_register(
            CardSection(
                host="project",
                key="portal",
                label=_("Portal klienta"),
                template="portal/project_card.html",
                context=card_context,
                place="main",
                order=60,
            )
        )
        settings_page_register(url_name="portal_settings:branding", label=_("Portal klienta"), icon="palette", order=48)
