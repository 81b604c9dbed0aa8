from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailsConfig(AppConfig):
    """E-mail from the CRM: messages staff write to customers from the card, the
    templates in Settings, and the per-company BCC address that logs mail sent from
    the user's own mail program onto the customer's timeline."""

    name = "crm.emails"
    label = "emails"
    verbose_name = _("E-maile")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.common.settings_pages import settings_page_register
        from crm.emails.bcc import bcc_inbound_handle
        from crm.emails.cards import cards_register
        from crm.emails.records import EMAIL
        from crm.tickets.inbound import inbound_handler_register

        record_type_register(EMAIL)
        inbound_handler_register(bcc_inbound_handle)
        cards_register()
        settings_page_register(
            url_name="emails_settings:templates", label=_("Szablony e-maili"), icon="envelope", order=46
        )
        settings_page_register(
            url_name="emails_unmatched:list", label=_("Niedopasowane e-maile"), icon="envelope-exclamation", order=47
        )
