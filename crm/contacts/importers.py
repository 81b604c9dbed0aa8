"""What the CSV import machinery (crm/contacts/imports.py, views_io.py: upload, column
mapping with preview, a Celery job with progress, limits, the activity entry, the system
log and the "import finished" notification) needs to know about one record type.

The customers' importer is defined in crm/contacts/imports.py; a record app above contacts
(crm.leads) defines its own and registers it in its `AppConfig.ready()`:

    importer_register(RecordImporter(key="lead", ...))

A job (`CustomerImport`, kept under its historical name) carries `record_type`, the key of
its importer; a job is only ever opened through its own importer's URLs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import Http404

if TYPE_CHECKING:
    from crm.accounts.models import User

# (field key, label, header names recognised automatically)
ImportField = tuple[str, Any, tuple[str, ...]]


@dataclass(frozen=True)
class RecordImporter:
    key: str  # stored in CustomerImport.record_type
    namespace: str  # URL namespace with import_upload, import_mapping, import_progress, import_report
    list_url: str  # URL name of the record list ("contacts:customer_list")
    fields: Callable[[], list[ImportField]]  # the mappable fields (custom fields included)
    required: str  # the field whose column must be mapped
    required_message: Any  # lazy text: why the import cannot start without it
    lookups: Callable[[], Any]  # names -> objects, read once per run (passed to row_check)
    row_check: Callable[[list[str], int, dict[str, int], Any], Any]  # -> imports.RowResult
    chunk_import: Callable[[Any, list[tuple[int, list[str]]]], None]  # (imports._State, [(line, row)])
    may_import: Callable[[User], None]  # raises PermissionDenied
    title: Any  # "Import klientów"
    list_title: Any  # "Klienci"
    duplicate_legend: Any  # "Klient już jest w CRM (ten sam NIP lub e-mail)"
    fields_hint: Any  # the recognised columns, on the upload page
    go_to_list: Any  # "Przejdź do listy klientów"
    failed_message: Any  # %(file)s, %(reason)s
    partial_message: Any  # %(file)s, %(errors)s

    @property
    def url_upload(self) -> str:
        return f"{self.namespace}:import_upload"

    @property
    def url_mapping(self) -> str:
        return f"{self.namespace}:import_mapping"

    @property
    def url_progress(self) -> str:
        return f"{self.namespace}:import_progress"

    @property
    def url_report(self) -> str:
        return f"{self.namespace}:import_report"

    def field_keys(self) -> list[str]:
        return [key for key, _label, _aliases in self.fields()]


_IMPORTERS: dict[str, RecordImporter] = {}


def importer_register(importer: RecordImporter) -> None:
    _IMPORTERS[importer.key] = importer


def importer_for(key: str) -> RecordImporter:
    """The importer of a record type; Http404 for an unknown one (a URL names it)."""
    try:
        return _IMPORTERS[key]
    except KeyError:
        raise Http404 from None
