from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "crm.tickets"
    label = "tickets"
    verbose_name = _("Zgłoszenia")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.tickets.cards import cards_register
        from crm.tickets.defaults import ticket_categories_setup_step
        from crm.tickets.records import TICKET
        from tenants.setup import company_setup_step

        record_type_register(TICKET)
        cards_register()
        company_setup_step("ticket_categories", ticket_categories_setup_step, order=27)
