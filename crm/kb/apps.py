from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "crm.kb"
    label = "kb"
    verbose_name = _("Baza wiedzy i ogłoszenia")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.kb.records import ARTICLE

        record_type_register(ARTICLE)
