from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "crm.invoicing"
    label = "invoicing"
    verbose_name = _("Faktury")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.common.settings_pages import settings_page_register
        from crm.invoicing.cards import cards_register
        from crm.invoicing.cards_payments import payments_cards_register
        from crm.invoicing.records import INVOICE

        record_type_register(INVOICE)
        cards_register()
        payments_cards_register()
        settings_page_register(
            url_name="payments_settings:reminders", label=_("Przypomnienia o płatnościach"), icon="bell", order=95
        )
