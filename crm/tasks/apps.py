from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "crm.tasks"
    label = "tasks"
    verbose_name = _("Zadania")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.tasks.cards import cards_register
        from crm.tasks.records import TASK

        record_type_register(TASK)
        cards_register()
