from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "crm.notes"
    label = "notes"
    verbose_name = _("Notatki i pliki")

    def ready(self) -> None:
        # Runs after the record apps (INSTALLED_APPS order): their types are registered.
        from crm.common.records import record_event_sink_register
        from crm.leads.services import lead_convert_hook_register
        from crm.notes import signals  # noqa: F401
        from crm.notes.cards import cards_register
        from crm.notes.leads import lead_notes_move
        from crm.notes.timeline import timeline_events_record

        record_event_sink_register(timeline_events_record)
        cards_register()
        lead_convert_hook_register(lead_notes_move)
