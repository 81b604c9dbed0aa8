"""Reading notes and files of one record, and the customer's timeline stream."""

from __future__ import annotations

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.common.records import record_type
from crm.contacts.selectors import customers_visible_to
from crm.notes.models import Attachment, Note, NoteRevision
from crm.notes.targets import may_change, target_filter

PANEL_LIMIT = 20
PANEL_ALL = 500


def notes_for(*, target: Model, user: User, limit: int = PANEL_LIMIT) -> list[Note]:
    notes: list[Note] = list(
        Note.objects.filter(target_filter(target))
        .select_related("author", "edited_by")
        .annotate(revision_count=Count("revisions"))
        .order_by("-created_at", "-id")[:limit]
    )
    for note in notes:
        note.can_change = may_change(user, note.author_id)  # type: ignore[attr-defined]
    return notes


def attachments_for(*, target: Model, user: User, limit: int = PANEL_LIMIT) -> list[Attachment]:
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


def _target_visible_q(user: User, everything: bool) -> Q:
    """Rows (notes or files) whose record — task, else deal, else customer — the user may see."""
    tasks = record_type("task").visible(user)
    on_task = Q(Q(task__isnull=False), Exists(tasks.filter(pk=OuterRef("task_id"))))
    on_deal = Q(task__isnull=True, deal__isnull=False)
    on_customer = Q(task__isnull=True, deal__isnull=True)
    if not everything:
        on_deal = Q(on_deal, Exists(record_type("deal").visible(user).filter(pk=OuterRef("deal_id"))))
        on_customer = Q(
            on_customer, Exists(customers_visible_to(user, everything=False).filter(pk=OuterRef("customer_id")))
        )
    return on_task | on_deal | on_customer


def notes_visible_to(user: User) -> QuerySet[Note]:
    return Note.objects.filter(_target_visible_q(user, sees_everything(user)))


def attachments_visible_to(user: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(_target_visible_q(user, sees_everything(user)))
