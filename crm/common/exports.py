"""The one writer of files other programs read: CSV and XLSX, for every export.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (Excel
also after a leading tab or CR): `=cmd|' /C calc'!A0` in a customer's name starts
a program on the desk of whoever opens the export. Every cell therefore goes through
`cell_safe`, which prefixes such text with an apostrophe, as OWASP recommends
("CSV Injection"). Numbers, dates and text that is only a number or a phone number
(`-12.50`, `+48 600 100 200`) stay as they are: they cannot call a function or
reach another cell or program.

CSV goes out as a streamed response (UTF-8 with a BOM so Excel shows Polish letters,
`;` unless the caller keeps another delimiter); rows are read while it streams, in
the company schema and language that were active when the response was made. XLSX
is written with openpyxl in write-only mode; its cells keep their types.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection  # django-tenants sets `tenant` on it
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django_tenants.utils import tenant_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
FORMULA_START = frozenset("=+-@\t\r")
# Text a spreadsheet may compute but that cannot name a function, a cell or a program:
# signed numbers and phone numbers ("+48 (22) 600-100-200", "-12,50", "-1.5e+10").
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
_DIGITS_ONLY = re.compile(r"[+-][0-9 ().,/+\-\u00a0]*\Z")
_NULL = "\x00null\x00"  # never in exported text (PostgreSQL text cannot hold NUL)

Row = Sequence[Any]


def cell_safe(value: Any) -> Any:
    """The value, or text that a spreadsheet will not run as a formula."""
    if not isinstance(value, str) or not value or value[0] not in FORMULA_START:
        return value
    if value[0] in "+-" and (_NUMBER.match(value) or _DIGITS_ONLY.match(value)):
        return value
    return "'" + value


def csv_cell(value: Any) -> str:
    """One CSV field: numbers as plain digits (never prefixed), any text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    return str(cell_safe(str(value)))


def xlsx_cell(value: Any) -> Any:
    """One XLSX cell: numbers and dates keep their type; text is made safe and loses the
    control characters XLSX cannot hold."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if not isinstance(value, str | Promise) and hasattr(value, "isoformat"):
        return value  # date, time
    return cell_safe(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class _Echo:
    """A file-like object that hands back what csv.writer writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    *, header: Row, rows: Iterable[Row], delimiter: str = ";", bom: bool = True, nulls: bool = False
) -> Iterator[str]:
    """The CSV text line by line. `nulls=True` writes None as an unquoted empty field and
    every other value quoted (PostgreSQL's CSV convention: NULL and '' stay apart)."""
    if nulls:
        writer = csv.writer(_Echo(), delimiter=delimiter, quoting=csv.QUOTE_ALL)
    else:
        writer = csv.writer(_Echo(), delimiter=delimiter)

    def line(row: Row) -> str:
        if not nulls:
            return str(writer.writerow([csv_cell(v) for v in row]))
        text = str(writer.writerow([_NULL if v is None else csv_cell(v) for v in row]))
        return text.replace(f'"{_NULL}"', "")

    first = line(header)
    yield BOM + first if bom else first
    for row in rows:
        yield line(row)


def csv_text(*, header: Row, rows: Iterable[Row], delimiter: str = ";", bom: bool = True) -> str:
    return "".join(csv_lines(header=header, rows=rows, delimiter=delimiter, bom=bom))


def _pinned(lines: Iterator[str]) -> Iterator[str]:
    """Run the rows' queries in the company schema and language active now: a streamed
    body is read after the view has returned, when the middleware may have moved on."""
    tenant = getattr(connection, "tenant", None)
    language = translation.get_language()

    def stream() -> Iterator[str]:
        with ExitStack() as stack:
            if tenant is not None:
                stack.enter_context(tenant_context(tenant))
            stack.enter_context(translation.override(language))
            yield from lines

    return stream()


def attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "export"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'


def csv_response(
    *, filename: str, header: Row, rows: Iterable[Row], delimiter: str = ";", bom: bool = True
) -> StreamingHttpResponse:
    """A streamed CSV download. `header` is evaluated now; `rows` may be a lazy iterator
    (a queryset's .iterator()), read while the response streams."""
    header = [str(h) for h in header]
    lines = csv_lines(header=header, rows=rows, delimiter=delimiter, bom=bom)
    response = StreamingHttpResponse(_pinned(lines), content_type=CSV_CONTENT_TYPE)
    attachment(response, filename)
    return response


def xlsx_bytes(*, sheet_title: str, header: Row, rows: Iterable[Row]) -> bytes:
    """A workbook with one sheet: a bold header row, then the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(sheet_title))
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(str(title)))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")
    return (cleaned or "Arkusz")[:31]


def xlsx_response(*, filename: str, sheet_title: str, header: Row, rows: Iterable[Row]) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(sheet_title=sheet_title, header=header, rows=rows), content_type=XLSX_CONTENT_TYPE
    )
    attachment(response, filename)
    return response
