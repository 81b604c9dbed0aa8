from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimetrackingConfig(AppConfig):
    name = "crm.timetracking"
    label = "timetracking"
    verbose_name = _("Czas pracy")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.timetracking.cards import cards_register
        from crm.timetracking.records import TIME_ENTRY

        record_type_register(TIME_ENTRY)
        cards_register()
