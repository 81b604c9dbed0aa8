"""Reading notes and files of one record, and the customer's timeline stream."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Model, QuerySet

from crm.notes.models import Attachment, Note, NoteRevision
from crm.notes.targets import may_change, target_filter

PANEL_LIMIT = 50


def notes_for(*, target: Model, user: Any, limit: int = PANEL_LIMIT) -> list[Note]:
    notes = list(
        Note.objects.filter(target_filter(target))
        .select_related("author", "edited_by")
        .annotate(revision_count=Count("revisions"))
        .order_by("-created_at", "-id")[:limit]
    )
    for note in notes:
        note.can_change = may_change(user, note.author_id)  # type: ignore[attr-defined]
    return notes


def attachments_for(*, target: Model, user: Any, limit: int = PANEL_LIMIT) -> list[Attachment]:
    files = list(
        Attachment.objects.filter(target_filter(target))
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")[:limit]
    )
    for item in files:
        item.can_change = may_change(user, item.uploaded_by_id)  # type: ignore[attr-defined]
    return files


def note_history(*, note: Note) -> QuerySet[NoteRevision]:
    return note.revisions.select_related("written_by").order_by("-written_at", "-id")
