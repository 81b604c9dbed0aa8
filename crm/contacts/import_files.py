"""Reading an import CSV within limits: the upload checks and the mapping page's sample.

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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm.common.errors import AppError
from crm.contacts.models import CustomerImport

DELIMITERS = ",;\t|"
SNIFF_CHARS = 4096  # csv.Sniffer is quadratic on some inputs: 16 KB of `,"` took 1.6 s
HEAD_BYTES = 256 * 1024  # the most the mapping page reads of a stored file


class ImportFileError(AppError):
    """The file cannot be read as CSV; the message is for people."""


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


def csv_read_checked(raw: bytes, limits: ImportLimits) -> tuple[str, str, list[str], int]:
    """(encoding, delimiter, header, data rows) of an uploaded file within the limits;
    ImportFileError with the reason otherwise. Rows are counted up to the limit only."""
    if b"\x00" in raw[:4096]:
        raise ImportFileError(_("To nie jest plik CSV (plik binarny). Zapisz arkusz jako CSV."))
    text, encoding = csv_decode(raw)
    delimiter = csv_delimiter(text)
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
