from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "crm.projects"
    label = "projects"
    verbose_name = _("Projekty")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.projects.cards import cards_register
        from crm.projects.records import PROJECT

        record_type_register(PROJECT)
        cards_register()
