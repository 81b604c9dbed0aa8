"""Reading an import file within limits: the upload checks and the mapping page's sample.

An Excel workbook (.xlsx) is turned into CSV once, at upload (`xlsx_to_csv`: the first
sheet, its first row the header); the stored job file is that CSV, so the mapping, the
preview and the run read every upload the same way.

A file is refused at upload past any of the limits (settings `IMCRM_IMPORT_MAX_BYTES`,
`_MAX_COLUMNS`, `_MAX_HEADER_CHARS`, `_MAX_ROWS`): a 20,000-column header once made
every visit of the mapping page take 12 s and 11 MB (a <select> per field with an
<option> per column). The mapping page itself reads only the start of the stored
file (`import_file_head`), so it stays fast whatever the file holds further on.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from crm.common.errors import AppError
from crm.contacts.models import CustomerImport

DELIMITERS = ",;\t|"
SNIFF_CHARS = 4096  # csv.Sniffer is quadratic on some inputs: 16 KB of `,"` took 1.6 s
HEAD_BYTES = 256 * 1024  # the most the mapping page reads of a stored file


class ImportFileError(AppError):
    """The file cannot be read as CSV or XLSX; the message is for people."""


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_columns: int
    max_header_chars: int
    max_rows: int

    @classmethod
    def current(cls) -> ImportLimits:
        return cls(
            max_bytes=int(settings.IMCRM_IMPORT_MAX_BYTES),
            max_columns=int(settings.IMCRM_IMPORT_MAX_COLUMNS),
            max_header_chars=int(settings.IMCRM_IMPORT_MAX_HEADER_CHARS),
            max_rows=int(settings.IMCRM_IMPORT_MAX_ROWS),
        )


def size_problem(size: int, limits: ImportLimits) -> str:
    if size <= limits.max_bytes:
        return ""
    return _("Plik jest za duży: %(size)s, a można wczytać najwyżej %(max)s.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(limits.max_bytes),
    }


def header_problem(header: list[str], limits: ImportLimits) -> str:
    """Why a header row cannot be mapped ("" when it can)."""
    if len(header) > limits.max_columns:
        return _(
            "Plik ma %(count)s kolumn, a można wczytać najwyżej %(max)s. Usuń zbędne kolumny i wczytaj go ponownie."
        ) % {"count": len(header), "max": limits.max_columns}
    for number, title in enumerate(header, start=1):
        if len(title) > limits.max_header_chars:
            return _(
                "Nagłówek kolumny %(number)s ma %(length)s znaków, a może mieć najwyżej %(max)s. "
                "Pierwszy wiersz pliku to nazwy kolumn — sprawdź, czy go nie brakuje."
            ) % {"number": number, "length": len(title), "max": limits.max_header_chars}
    return ""


def rows_problem(total: int, limits: ImportLimits) -> str:
    if total <= limits.max_rows:
        return ""
    return ngettext(
        "Plik ma więcej niż %(max)s wiersz z danymi. Podziel go na mniejsze pliki.",
        "Plik ma więcej niż %(max)s wierszy z danymi. Podziel go na mniejsze pliki.",
        limits.max_rows,
    ) % {"max": limits.max_rows}


def csv_decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), else Windows-1250 (Polish Excel)."""
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Nie udało się odczytać pliku: zapisz go jako CSV w kodowaniu UTF-8."))


def csv_delimiter(text: str) -> str:
    sample = text[:SNIFF_CHARS]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(DELIMITERS, key=first.count) if first else ","


def csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def csv_read_checked(raw: bytes, limits: ImportLimits, *, delimiter: str = "") -> tuple[str, str, list[str], int]:
    """(encoding, delimiter, header, data rows) of an uploaded file within the limits;
    ImportFileError with the reason otherwise. Rows are counted up to the limit only.
    The delimiter is guessed unless given (a CSV made of a workbook)."""
    if b"\x00" in raw[:4096]:
        raise ImportFileError(_("To nie jest plik CSV (plik binarny). Zapisz arkusz jako CSV."))
    text, encoding = csv_decode(raw)
    delimiter = delimiter or csv_delimiter(text)
    rows = csv_rows(text, delimiter)
    try:
        header = [h.strip() for h in next(rows)]
    except StopIteration as exc:
        raise ImportFileError(_("Plik jest pusty.")) from exc
    except csv.Error as exc:
        raise ImportFileError(_("Plik CSV jest uszkodzony: %(error)s") % {"error": exc}) from exc
    problem = header_problem(header, limits)
    if problem:
        raise ImportFileError(problem)
    total = 0
    try:
        for row in rows:
            if any(cell.strip() for cell in row):
                total += 1
                if total > limits.max_rows:
                    raise ImportFileError(rows_problem(total, limits))
    except csv.Error as exc:
        raise ImportFileError(_("Plik CSV jest uszkodzony: %(error)s") % {"error": exc}) from exc
    if not any(header) or total == 0:
        raise ImportFileError(_("Plik nie zawiera wierszy z danymi (pierwszy wiersz to nagłówki)."))
    return encoding, delimiter, header, total


def _gone() -> ImportFileError:
    return ImportFileError(_("Plik importu nie jest już dostępny. Wczytaj go ponownie."))


def import_file_read(job: CustomerImport) -> str:
    """The whole stored CSV as text (for the import run); ImportFileError when it is gone."""
    try:
        with job.file.open("rb") as handle:
            raw = handle.read()
    except (OSError, ValueError) as exc:
        raise _gone() from exc
    try:
        codecs.lookup(job.encoding)
        return raw.decode(job.encoding)
    except (LookupError, UnicodeDecodeError):
        return csv_decode(raw)[0]


def _encoding(job: CustomerImport) -> str:
    try:
        return codecs.lookup(job.encoding).name
    except LookupError:
        return "utf-8-sig"


def import_file_head(job: CustomerImport, delimiter: str) -> Iterator[list[str]]:
    """The rows at the start of the stored file, header included: at most HEAD_BYTES are
    read, so the page is as fast for a huge or garbled file as for a small one (what
    lies further on is the import run's business). A row cut off by that limit is left out."""
    try:
        with job.file.open("rb") as handle:
            head = handle.read(HEAD_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise _gone() from exc
    cut = len(head) > HEAD_BYTES
    text = codecs.getincrementaldecoder(_encoding(job))(errors="replace").decode(head[:HEAD_BYTES])
    if cut:
        text = text[: text.rfind("\n") + 1]
    yield from csv_rows(text, delimiter)


def upload_read(upload: Any, limits: ImportLimits) -> bytes:
    """The uploaded bytes, never more than the limit allows (a client may lie about size)."""
    problem = size_problem(int(upload.size or 0), limits)
    if problem:
        raise ImportFileError(problem)
    raw = upload.read(limits.max_bytes + 1)
    problem = size_problem(len(raw), limits)
    if problem:
        raise ImportFileError(problem)
    return bytes(raw)


# --- Excel workbooks ---------------------------------------------------------------------

XLSX_EXTENSIONS = (".xlsx", ".xlsm")
# A workbook is zipped XML: the CSV made of it may be larger than the upload, within reason,
# and so may its unpacked parts (a "zip bomb" of a few KB would otherwise unpack to gigabytes).
XLSX_TEXT_FACTOR = 4
XLSX_UNPACKED_FACTOR = 25


def _xlsx_cell(value: Any) -> str:
    """A cell as the CSV would hold it: numbers without a spurious ".0", dates as
    RRRR-MM-DD (with the time when there is one), yes/no as tak/nie."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _xlsx_unreadable() -> ImportFileError:
    return ImportFileError(
        _(
            "Nie udało się odczytać pliku jako arkusza Excel (.xlsx): plik jest uszkodzony albo to inny format."
            " Zapisz arkusz w Excelu jako .xlsx lub CSV i wczytaj go ponownie."
        )
    )


def xlsx_to_csv(raw: bytes, limits: ImportLimits) -> bytes:
    """The first sheet of an .xlsx workbook as UTF-8 CSV (comma-separated), its first row
    the header; ImportFileError when the file is no readable workbook or is past the limits.
    Formulas give their last computed value, as Excel shows it."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _xlsx_unreadable() from exc
    if unpacked > limits.max_bytes * XLSX_UNPACKED_FACTOR:
        raise ImportFileError(size_problem(limits.max_bytes + 1, limits))
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise _xlsx_unreadable() from exc
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    max_chars = limits.max_bytes * XLSX_TEXT_FACTOR
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("Plik jest pusty."))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        # Rows are read one by one and only as wide as the limit allows. Empty rows are kept
        # (as empty lines) so the report's row numbers are the sheet's.
        filled = 0
        for number, row in enumerate(rows):
            cells = [_xlsx_cell(value) for value in row[: limits.max_columns + 1]]
            while cells and not cells[-1].strip():
                cells.pop()
            if number == 0:
                problem = header_problem([cell.strip() for cell in cells], limits)
                if problem:
                    raise ImportFileError(problem)
            elif cells:
                filled += 1
            if filled > limits.max_rows or number > limits.max_rows * XLSX_TEXT_FACTOR:
                raise ImportFileError(rows_problem(limits.max_rows + 1, limits))
            writer.writerow(cells)
            if out.tell() > max_chars:
                raise ImportFileError(size_problem(limits.max_bytes + 1, limits))
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl reads the sheet lazily: any malformed part surfaces here
        raise _xlsx_unreadable() from exc
    finally:
        workbook.close()
    return out.getvalue().encode("utf-8")
