"""Export of the (filtered, visible) customer list to CSV and XLSX, streamed in chunks
(written by the shared kit, which neutralises formula-like cells)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.common.exports import csv_response, xlsx_response
from crm.contacts.models import Customer
from crm.customfields.definitions import custom_fields_of
from crm.customfields.values import custom_export_columns

CHUNK = 2000


def export_headers() -> list[str]:
    """The customer's columns, then one per custom field (its name)."""
    return [*_base_headers(), *custom_export_columns(custom_fields_of("customer"))[0]]


def _base_headers() -> list[str]:
    return [
        _("ID"),
        _("Rodzaj"),
        _("Nazwa"),
        _("NIP"),
        _("E-mail"),
        _("Telefon"),
        _("Strona WWW"),
        _("Ulica i numer"),
        _("Kod pocztowy"),
        _("Miasto"),
        _("Kraj"),
        _("Status"),
        _("Typ"),
        _("Źródło pozyskania"),
        _("Grupy"),
        _("Tagi"),
        _("Opiekun"),
        _("Ostatni kontakt"),
        _("Utworzono"),
    ]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_rows(qs: QuerySet[Customer]) -> Iterator[list[Any]]:
    qs = qs.select_related("status", "type", "source", "owner").prefetch_related("groups")
    _headers, custom_cells = custom_export_columns(custom_fields_of("customer"))
    for c in qs.iterator(chunk_size=CHUNK):
        yield [
            c.pk,
            c.get_kind_display(),
            c.name,
            c.tax_id,
            c.email,
            c.phone,
            c.website,
            c.street,
            c.postal_code,
            c.city,
            c.country,
            c.status.name if c.status else "",
            c.type.name if c.type else "",
            c.source.name if c.source else "",
            ", ".join(g.name for g in c.groups.all()),
            ", ".join(c.tags),
            str(c.owner) if c.owner else "",
            _when(c.last_contact_at),
            _when(c.created_at),
            *custom_cells(c),
        ]


def customer_export_csv(qs: QuerySet[Customer], *, filename: str) -> StreamingHttpResponse:
    """UTF-8 with BOM and ';' so Polish Excel opens it with the right letters and columns."""
    return csv_response(filename=filename, header=export_headers(), rows=export_rows(qs))


def customer_export_xlsx(qs: QuerySet[Customer], *, filename: str) -> HttpResponse:
    return xlsx_response(filename=filename, sheet_title=_("Klienci"), header=export_headers(), rows=export_rows(qs))
