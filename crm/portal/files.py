"""Serving a stored file to its authorised reader: always a download, never rendered."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header


def file_response(field: FieldFile, name: str) -> HttpResponse:
    """The file (uploads are small, crm.common.uploads limits them) as an attachment."""
    try:
        with field.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/octet-stream")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
