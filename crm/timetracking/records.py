"""The time entry as a record type (see crm.common.records): the activity log, the trash
and the CSV export name it; it is not searched and has no card of its own (its edit page)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.timetracking.models import TimeEntry
from crm.timetracking.selectors import time_entries_visible_to

EXPORT_COLUMNS = (
    ("started_at", _("Początek")),
    ("ended_at", _("Koniec")),
    ("minutes", _("Minuty")),
    ("project", _("Projekt")),
    ("task", _("Zadanie")),
    ("user", _("Osoba")),
    ("billable", _("Do fakturowania")),
    ("invoiced", _("Zafakturowano")),
    ("note", _("Notatka")),
)

TIME_ENTRY = RecordType(
    key="time_entry",
    key_plural="time_entries",
    model=TimeEntry,
    label=_("wpis czasu pracy"),
    label_plural=_("Czas pracy"),
    visible=time_entries_visible_to,
    card_url_name="timetracking:entry_edit",
    in_global_search=False,
    export_columns=EXPORT_COLUMNS,
    icon="bi-stopwatch",
    list_related=("project", "task", "user"),
    position=48,
)
