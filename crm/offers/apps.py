from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "crm.offers"
    label = "offers"
    verbose_name = _("Oferty")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.offers.cards import cards_register
        from crm.offers.records import OFFER

        record_type_register(OFFER)
        cards_register()
