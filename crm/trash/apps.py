from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrashConfig(AppConfig):
    name = "crm.trash"
    label = "trash"
    verbose_name = _("Kosz")

    def ready(self) -> None:
        from crm.common.settings_pages import settings_page_register

        settings_page_register(url_name="trash:list", label=_("Kosz"), icon="trash3", order=90)
