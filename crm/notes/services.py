from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.records import record_type
from crm.common.uploads import attachment_check
from crm.contacts.models import Customer
from crm.contacts.services import customer_contacted
from crm.notes.models import Attachment, Note, NoteKind, NoteRevision, TimelineEvent
from crm.notes.targets import target_fields, target_kind_of
from crm.notifications.mentions import mentioned_people
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify
from crm.trash.services import trash_keep


def timeline_event_record(
    *, customer: Any, kind: str, message: str, actor: User | None = None, deal: Any = None, task: Any = None
) -> TimelineEvent:
    """Add an entry to a customer's timeline (e.g. kind="deal_stage_changed")."""
    return TimelineEvent.objects.create(
        customer=customer, kind=kind, message=message[:500], actor=actor, deal=deal, task=task
    )


# --- Notes and files -----------------------------------------------------------


@transaction.atomic
def note_create(*, target: Any, author: User, body: str, kind: str = NoteKind.NOTE) -> Note:
    """A note on a record; a call or a meeting (`kind`) also counts as contact with the
    record's customer ("Ostatni kontakt")."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Wpisz treść notatki.")})
    if kind not in NoteKind.values:
        raise ValidationError({"kind": _("Wybierz rodzaj notatki z listy.")})
    fields = target_fields(target)
    note = Note.objects.create(body=body, author=author, kind=kind, **fields)
    customer_id = fields["customer"].pk if "customer" in fields else fields.get("customer_id")
    if kind != NoteKind.NOTE and customer_id:
        customer = Customer.objects.select_for_update().get(pk=customer_id)
        customer_contacted(customer=customer, actor=author, at=note.created_at)
    activity_record(actor=author, kind=ActivityKind.CREATE, obj=note, code="note.created")
    _mentions_notify(note, target, author=author)
    return note


def _mentions_notify(note: Note, target: Any, *, author: User, before: str = "") -> None:
    """Tell the colleagues named "@Name" in the note (only newly named ones after an
    edit), when they may open the record the note is on."""
    earlier = {person.pk for person in mentioned_people(before)} if before else set()
    people = [person for person in mentioned_people(note.body, author=author) if person.pk not in earlier]
    if not people:
        return
    kind = record_type(target_kind_of(target))
    for person in people:
        if kind.visible(person).filter(pk=target.pk).exists():
            notify(
                recipient=person,
                kind=NotificationKind.MENTION,
                title=note.body,
                url=kind.card_url(target),
                actor=author,
            )


@transaction.atomic
def note_update(*, note: Note, editor: User, body: str) -> Note:
    """Change the text; the previous wording is kept as a NoteRevision."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Wpisz treść notatki.")})
    if body == note.body:
        return note
    NoteRevision.objects.create(
        note=note,
        body=note.body,
        written_by_id=note.edited_by_id or note.author_id,
        written_at=note.edited_at or note.created_at,
    )
    before = note.body
    note.body = body
    note.edited_by = editor
    note.edited_at = timezone.now()
    note.save(update_fields=["body", "edited_by", "edited_at"])
    activity_record(actor=editor, kind=ActivityKind.UPDATE, obj=note, code="note.updated")
    _mentions_notify(note, getattr(note, note.target_kind), author=editor, before=before)
    return note


@transaction.atomic
def note_delete(*, note: Note, actor: User) -> None:
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=note, code="note.deleted")
    trash_keep(obj=note, actor=actor)
    note.delete()


@transaction.atomic
def attachment_create(*, target: Any, uploaded_by: User, upload: UploadedFile) -> Attachment:
    """Store an uploaded file for `target` after the size and type checks."""
    name, content_type = attachment_check(upload)
    attachment = Attachment(
        name=name, content_type=content_type, size=upload.size or 0, uploaded_by=uploaded_by, **target_fields(target)
    )
    suffix = PurePosixPath(name).suffix.lower()
    attachment.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    try:
        attachment.save()
        params = {"name": attachment.name}
        activity_record(actor=uploaded_by, kind=ActivityKind.CREATE, obj=attachment, code="file.created", params=params)
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    """The file itself goes after the commit (crm/notes/signals.py)."""
    params = {"name": attachment.name}
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=attachment, code="file.deleted", params=params)
    trash_keep(obj=attachment, actor=actor)
    attachment.delete()
