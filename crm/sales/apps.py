from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "crm.sales"
    label = "sales"
    verbose_name = _("Sprzedaż")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.common.settings_pages import settings_page_register
        from crm.sales.cards import cards_register
        from crm.sales.records import DEAL

        record_type_register(DEAL)
        cards_register()
        settings_page_register(url_name="pipelines:list", label=_("Lejki sprzedaży"), icon="kanban", order=35)
