from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemLogConfig(AppConfig):
    name = "crm.systemlog"
    label = "systemlog"
    verbose_name = _("Dziennik systemowy")

    def ready(self) -> None:
        from crm.systemlog import signals

        signals.connect()
