"""Reading notes and files of one record, and the customer's timeline stream."""

from __future__ import annotations

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.contacts.selectors import customers_visible_to
from crm.notes.models import LINKED_KINDS, Attachment, Note, NoteRevision
from crm.notes.targets import registered_type, target_filter

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
        note.can_change = may_change_owned(user, note.author_id)  # type: ignore[attr-defined]
    return notes


def attachments_for(*, target: Model, user: User, limit: int = PANEL_LIMIT) -> list[Attachment]:
    files = list(
        Attachment.objects.filter(target_filter(target))
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")[:limit]
    )
    for item in files:
        item.can_change = may_change_owned(user, item.uploaded_by_id)  # type: ignore[attr-defined]
    return files


def note_history(*, note: Note) -> QuerySet[NoteRevision]:
    return note.revisions.select_related("written_by").order_by("-written_at", "-id")


def _target_visible_q(user: User, everything: bool) -> Q:
    """Rows (notes or files) whose record — task, offer, invoice, deal, else customer —
    the user may see (rows of a type not registered yet stay hidden)."""
    on_customer = Q(**{f"{kind}__isnull": True for kind in LINKED_KINDS})
    if not everything:
        on_customer = Q(
            on_customer, Exists(customers_visible_to(user, everything=False).filter(pk=OuterRef("customer_id")))
        )
    visible = on_customer
    for index, kind in enumerate(LINKED_KINDS):
        rtype = registered_type(kind)
        if rtype is None:
            continue
        on_kind = Q(**{f"{kind}__isnull": False}, **{f"{earlier}__isnull": True for earlier in LINKED_KINDS[:index]})
        if not (everything and kind == "deal"):  # every deal is visible to those who see everything
            on_kind = Q(on_kind, Exists(rtype.visible(user).filter(pk=OuterRef(f"{kind}_id"))))
        visible |= on_kind
    return visible


def notes_visible_to(user: User) -> QuerySet[Note]:
    return Note.objects.filter(_target_visible_q(user, sees_everything(user)))


def attachments_visible_to(user: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(_target_visible_q(user, sees_everything(user)))
