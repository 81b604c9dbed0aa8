from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "crm.catalog"
    label = "catalog"
    verbose_name = _("Produkty i usługi")

    def ready(self) -> None:
        from crm.catalog.records import PRODUCT
        from crm.common.records import record_type_register

        record_type_register(PRODUCT)
