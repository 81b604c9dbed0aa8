"""Checks on uploaded files: size limit, allowed types (by extension and content),
and a safe display name (no directories, no control characters). Files on records
(crm.notes) and expense receipts (crm.expenses) are checked here; each caller may
narrow the allowed types."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> (content type we serve it as, leading bytes it must start with or None)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0",)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".ppt": ("application/vnd.ms-powerpoint", _OLE),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".zip": ("application/zip", _ZIP),
    ".eml": ("message/rfc822", None),
}
TEXT_TYPES = {".txt", ".csv", ".eml"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMCRM_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def safe_file_name(raw: str) -> str:
    """The last path component only ("../../x.pdf" -> "x.pdf", "C:\\a\\b.pdf" -> "b.pdf"),
    without control characters or leading dots; at most 200 characters."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    name = name.strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def attachment_check(
    upload: UploadedFile,
    *,
    allowed_types: dict[str, tuple[str, tuple[bytes, ...] | None]] | None = None,
    field: str = "file",
) -> tuple[str, str]:
    """(display name, content type) of an acceptable upload, else ValidationError on
    `field`. `allowed_types` narrows ALLOWED_TYPES (e.g. receipts: PDF and images)."""
    types = ALLOWED_TYPES if allowed_types is None else allowed_types
    name = safe_file_name(upload.name or "")
    if not name or name in {".", ".."}:
        raise ValidationError({field: _("Plik nie ma poprawnej nazwy.")})
    limit = max_upload_bytes()
    if (upload.size or 0) > limit:
        raise ValidationError(
            {field: _("Plik jest za duży (maksymalnie %(limit)s).") % {"limit": filesizeformat(limit)}}
        )
    if not upload.size:
        raise ValidationError({field: _("Plik jest pusty.")})
    suffix = PurePosixPath(name).suffix.lower()
    allowed = types.get(suffix)
    if allowed is None:
        raise ValidationError(
            {
                field: _("Ten rodzaj pliku jest niedozwolony. Dozwolone: %(types)s.")
                % {"types": ", ".join(sorted(e.lstrip(".") for e in types))}
            }
        )
    content_type, signatures = allowed
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    content_ok = (
        any(head.startswith(sig) for sig in signatures)
        if signatures is not None
        else (
            b"\x00" not in head and not head.lstrip().lower().startswith((b"<html", b"<!doctype", b"<script", b"<svg"))
        )
    )
    if not content_ok:
        raise ValidationError(
            {field: _("Zawartość pliku nie pasuje do jego rozszerzenia (%(ext)s).") % {"ext": suffix}}
        )
    return name, content_type
