from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    name = "crm.categories"
    label = "categories"
    verbose_name = _("Kategorie")

    def ready(self) -> None:
        from crm.categories import defaults  # noqa: F401  (connects company_provisioned)
