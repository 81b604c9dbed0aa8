from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The shared kit under every app: errors, form rendering, template tags, page layouts.
    It has no models and imports nothing from the other project apps."""

    name = "crm.common"
    label = "common"
    verbose_name = _("Wspólne elementy")

    def ready(self) -> None:
        from crm.common.translation_catalogs import catalog_merging_fix

        catalog_merging_fix()
