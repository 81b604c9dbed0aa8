"""Export of the (filtered, visible) customer list to CSV and XLSX, streamed in chunks."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from crm.contacts.models import Customer
from tenants.db import connection

CHUNK = 2000
_FORMULA_START = ("=", "@", "\t", "\r")


def export_headers() -> list[str]:
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


def _safe(value: Any) -> Any:
    """Spreadsheets run cells starting with = @ + - as formulas; neutralise those
    (but keep phone numbers like +48 600 100 200 as they are)."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_FORMULA_START) or (
        value[0] in "+-" and not all(ch.isdigit() or ch in " +-()" for ch in value)
    ):
        return "'" + value
    return value


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_rows(qs: QuerySet[Customer]) -> Iterator[list[Any]]:
    qs = qs.select_related("status", "type", "source", "owner").prefetch_related("groups")
    for c in qs.iterator(chunk_size=CHUNK):
        row = [
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
        ]
        yield [_safe(v) for v in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv_stream(qs: QuerySet[Customer]) -> Iterator[str]:
    """UTF-8 with BOM and ';' so Polish Excel opens it with the right letters and columns.

    The rows are read while the response streams, after the view returned: the
    company schema is pinned here rather than trusted to still be active."""
    tenant = connection.tenant  # now, while the view runs (the generator body runs later)
    writer = csv.writer(_Echo(), delimiter=";")
    header = "\ufeff" + writer.writerow(export_headers())

    def stream() -> Iterator[str]:
        yield header
        with tenant_context(tenant):
            for row in export_rows(qs):
                yield writer.writerow(row)

    return stream()


def export_xlsx(qs: QuerySet[Customer]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Klienci")[:31])
    header = []
    for title in export_headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in export_rows(qs):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
