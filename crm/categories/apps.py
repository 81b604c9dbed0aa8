from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    name = "crm.categories"
    label = "categories"
    verbose_name = _("Kategorie")

    def ready(self) -> None:
        from crm.categories.defaults import categories_setup_step
        from tenants.setup import company_setup_step

        company_setup_step("categories", categories_setup_step, order=20)
