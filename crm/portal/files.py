"""Serving a stored file to its authorised reader (always a download, never rendered),
and removing one when its message goes."""

from __future__ import annotations

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django_tenants.utils import tenant_context

from tenants.db import connection, on_public_schema


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


def stored_file_delete_on_commit(field: FieldFile) -> None:
    """Remove `field`'s file from the storage once the transaction commits, from the
    company schema active now (the company's own media folder), whichever schema is
    active when the commit comes (as crm/notes/signals.py does for attachments)."""
    if not field or not field.name:
        return
    storage, name = field.storage, field.name
    tenant = None if on_public_schema() else getattr(connection, "tenant", None)

    def remove() -> None:
        if tenant is None:
            storage.delete(name)
            return
        with tenant_context(tenant):
            storage.delete(name)

    transaction.on_commit(remove)
