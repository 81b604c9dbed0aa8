from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "crm.notes"
    label = "notes"
    verbose_name = _("Notatki i pliki")

    def ready(self) -> None:
        from crm.notes import signals  # noqa: F401
