from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    name = "crm.customfields"
    label = "customfields"
    verbose_name = _("Pola własne")

    def ready(self) -> None:
        from crm.common.settings_pages import settings_page_register
        from crm.customfields.cards import cards_register

        settings_page_register(url_name="customfields:list", label=_("Pola własne"), icon="ui-checks", order=45)
        cards_register()
