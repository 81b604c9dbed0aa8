from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "crm.payments"
    label = "payments"
    verbose_name = _("Płatności online")

    def ready(self) -> None:
        from crm.common.settings_pages import settings_page_register
        from crm.payments.cards import cards_register

        cards_register()
        settings_page_register(
            url_name="online_payments_settings:settings", label=_("Płatności online"), icon="wallet2", order=96
        )
