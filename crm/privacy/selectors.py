"""Everything the company holds about one person, as one JSON-able dict (RODO/GDPR
access request, issue 18): a customer (a person or a company) or a contact person.

What is in it, found through the record registry (crm.common.records) so that a record
type added later is included by itself:

- the person's own row with every personal field (search columns and secrets left out);
- for a customer: its contact persons and every record of every registered type that
  points at it (`RecordType.customer_field`: deals, tasks, offers, invoices, contracts,
  projects, tickets, expenses...), and records of types without a customer that point at
  one of those (time entries of its projects and tasks), each with the rows that belong
  to it (ticket replies, i.e. the e-mails, with their attachments' names; invoice lines,
  payments and payment reminders; milestones);
- for a contact person: their customer (id and name) and the records that name them
  (tickets they raised or replied to; any later type with a foreign key to contact persons);
- the person's marketing consents, current and their history (crm.privacy.consents);
- notes (with their earlier wordings), the files list (name, type, size, date: never the
  content), the customer's timeline and the activity-log entries about all these rows.

Visibility is the card's: rows go through each type's `visible(user)` and notes, files
and events through `crm.notes.timeline.visible_links`. Who may ask is decided before
(crm.privacy.services: Szef and Kierownik only). Dates are ISO 8601 text, decimals text.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityEntry
from crm.activity.services import object_type_of
from crm.common.records import RecordType, record_type, record_types
from crm.contacts.models import ContactPerson, Customer
from crm.leads.models import Lead
from crm.notes.models import LINKED_KINDS, Attachment, Note, TimelineEvent
from crm.notes.timeline import visible_links
from crm.privacy.consents import consents_json
from crm.privacy.serialize import children_of, row_json, rows_with_children, value_json
from crm.tasks.selectors import tasks_visible_to
from tenants.db import connection

FORMAT_VERSION = 1


def _header(*, user: User, subject: str, obj: models.Model) -> dict[str, Any]:
    tenant = getattr(connection, "tenant", None)
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "company": str(getattr(tenant, "name", "") or ""),
        "generated_by": {"id": user.pk, "name": user.name, "email": user.email},
        "subject": {"type": subject, "id": obj.pk, "name": str(obj)},
    }


def _record(rtype: RecordType, obj: models.Model) -> dict[str, Any]:
    try:
        url = rtype.card_url(obj)
    except NoReverseMatch:  # a type whose card needs more than the row: no link, still exported
        url = ""
    return {"id": obj.pk, "name": str(obj), "url": url, "fields": row_json(obj)}


def _fk_to(model: type[models.Model], target: type[models.Model]) -> list[str]:
    return [
        f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.related_model is target
    ]


def _customer_records(customer: Customer, user: User) -> dict[str, tuple[RecordType, QuerySet[Any]]]:
    """Each record type -> its rows about `customer` that `user` may open: rows naming the
    customer, and rows pointing at a record that names it (a time entry of its project, a
    task of its deal or project without a customer of its own)."""
    found: dict[str, tuple[RecordType, QuerySet[Any]]] = {}
    direct = {t.model: t for t in record_types() if t.customer_field}
    for rtype in record_types():
        if rtype.customer_field == "":
            continue  # the customer itself
        cond = Q(**{rtype.customer_field: customer}) if rtype.customer_field else Q()
        for f in rtype.model._meta.concrete_fields:
            linked = direct.get(f.related_model) if isinstance(f, models.ForeignKey) else None  # type: ignore[arg-type]
            if linked is not None and linked is not rtype:
                cond |= Q(**{f"{f.name}__{linked.customer_field}": customer})
        if cond:
            found[rtype.key] = (rtype, rtype.visible(user).filter(cond).distinct())
    return found


def _contact_records(contact: ContactPerson, user: User) -> dict[str, tuple[RecordType, QuerySet[Any]]]:
    """Each record type -> its rows naming `contact` (or whose rows, e.g. replies, name them)."""
    found: dict[str, tuple[RecordType, QuerySet[Any]]] = {}
    for rtype in record_types():
        if rtype.model is ContactPerson:
            continue
        cond = Q()
        for name in _fk_to(rtype.model, ContactPerson):
            cond |= Q(**{name: contact})
        for accessor, child in children_of(rtype.model):
            query_name = _query_name(rtype.model, accessor)
            for name in _fk_to(child, ContactPerson):
                cond |= Q(**{f"{query_name}__{name}": contact})
        if cond:
            found[rtype.key] = (rtype, rtype.visible(user).filter(cond).distinct())
    return found


def _query_name(model: type[models.Model], accessor: str) -> str:
    for rel in model._meta.related_objects:
        if rel.get_accessor_name() == accessor:
            return rel.name
    return accessor


def _records_json(found: dict[str, tuple[RecordType, QuerySet[Any]]]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    records: dict[str, Any] = {}
    ids: dict[str, list[int]] = {}
    for key, (rtype, rows) in found.items():
        items = [_record(rtype, obj) for obj in rows_with_children(rows.order_by("pk"))]
        records[rtype.key_plural] = {"label": str(rtype.label_plural), "items": items}
        ids[key] = [item["id"] for item in items]
    return records, ids


def _notes_json(notes: QuerySet[Note]) -> list[dict[str, Any]]:
    rows = notes.select_related("author", "edited_by").prefetch_related("revisions__written_by")
    out = []
    for note in rows.order_by("created_at", "id"):
        out.append(
            {
                "id": note.pk,
                "kind": note.kind,
                "kind_display": str(note.get_kind_display()),
                "body": note.body,
                "author": str(note.author) if note.author else None,
                "created_at": value_json(note.created_at),
                "edited_at": value_json(note.edited_at),
                "on": {"type": note.target_kind, "id": note.target_id},
                "earlier_versions": [
                    {
                        "body": rev.body,
                        "written_by": str(rev.written_by) if rev.written_by else None,
                        "written_at": value_json(rev.written_at),
                    }
                    for rev in note.revisions.all()
                ],
            }
        )
    return out


def _files_json(files: QuerySet[Attachment]) -> list[dict[str, Any]]:
    return [
        {
            "id": item.pk,
            "name": item.name,
            "content_type": item.content_type,
            "size": item.size,
            "uploaded_by": str(item.uploaded_by) if item.uploaded_by else None,
            "created_at": value_json(item.created_at),
            "on": {"type": item.target_kind, "id": item.target_id},
        }
        for item in files.select_related("uploaded_by").order_by("created_at", "id")
    ]


def _events_json(events: QuerySet[TimelineEvent]) -> list[dict[str, Any]]:
    return [
        {
            "id": event.pk,
            "created_at": value_json(event.created_at),
            "code": event.code,
            "text": event.text,
            "actor": str(event.actor) if event.actor else None,
        }
        for event in events.select_related("actor").order_by("created_at", "id")
    ]


def _activity_json(pairs: list[tuple[str, list[int]]]) -> list[dict[str, Any]]:
    cond = Q()
    for object_type, ids in pairs:
        if ids:
            cond |= Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
    if not cond:
        return []
    return [
        {
            "id": entry.pk,
            "created_at": value_json(entry.created_at),
            "user": entry.user_label,
            "kind": entry.kind,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object": entry.object_repr,
            "text": entry.text,
        }
        for entry in ActivityEntry.objects.filter(cond).order_by("created_at", "id")
    ]


def _linked_q(ids: dict[str, list[int]], model: type[models.Model]) -> Q:
    """Notes, files or events (`model`) tied to one of the records found."""
    cond = Q(pk__in=[])
    linked = {field.name for field in model._meta.get_fields()}
    for kind in LINKED_KINDS:
        if ids.get(kind) and kind in linked:
            cond |= Q(**{f"{kind}__in": ids[kind]})
    return cond


def _type_ids(ids: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
    types = {t.key: t for t in record_types()}
    return [(object_type_of(types[key].model), pks) for key, pks in ids.items() if key in types]


def customer_personal_data(*, customer: Customer, user: User) -> dict[str, Any]:
    """Everything about `customer` that `user` may see (module docstring)."""
    everything = sees_everything(user)
    records, ids = _records_json(_customer_records(customer, user))
    notes = visible_links(Note.objects.filter(customer=customer), user, everything)
    files = visible_links(Attachment.objects.filter(customer=customer), user, everything)
    events = visible_links(TimelineEvent.objects.filter(customer=customer), user, everything)
    note_ids = list(notes.values_list("pk", flat=True))
    file_ids = list(files.values_list("pk", flat=True))
    own = rows_with_children(Customer.objects.filter(pk=customer.pk)).get()
    return {
        **_header(user=user, subject="customer", obj=customer),
        "customer": row_json(own, depth=0),
        "consents": consents_json(customer),
        "records": records,
        "notes": _notes_json(notes),
        "files": _files_json(files),
        "timeline": _events_json(events),
        "activity": _activity_json(
            [
                (object_type_of(Customer), [customer.pk]),
                *_type_ids(ids),
                (object_type_of(Note), note_ids),
                (object_type_of(Attachment), file_ids),
            ]
        ),
    }


def contact_personal_data(*, contact: ContactPerson, user: User) -> dict[str, Any]:
    """Everything about the contact person `contact` that `user` may see (module docstring)."""
    everything = sees_everything(user)
    records, ids = _records_json(_contact_records(contact, user))
    customer = contact.customer
    mention = Q(body__icontains=contact.name)
    if contact.email:
        mention |= Q(body__icontains=contact.email)
    on_customer = Note.objects.filter(customer=customer)
    notes = visible_links(on_customer.filter(_linked_q(ids, Note) | mention), user, everything)
    files = visible_links(
        Attachment.objects.filter(customer=customer).filter(_linked_q(ids, Attachment)), user, everything
    )
    about_contact = Q(code__startswith="contact.", params__name=contact.name)
    events = visible_links(
        TimelineEvent.objects.filter(customer=customer).filter(_linked_q(ids, TimelineEvent) | about_contact),
        user,
        everything,
    )
    note_ids = list(notes.values_list("pk", flat=True))
    file_ids = list(files.values_list("pk", flat=True))
    own = rows_with_children(ContactPerson.objects.filter(pk=contact.pk)).get()
    return {
        **_header(user=user, subject="contact", obj=contact),
        "contact": row_json(own, depth=0),
        "customer": {"id": customer.pk, "name": customer.name},
        "consents": consents_json(contact),
        "records": records,
        "notes": _notes_json(notes),
        "files": _files_json(files),
        "timeline": _events_json(events),
        "activity": _activity_json(
            [
                (object_type_of(ContactPerson), [contact.pk]),
                *_type_ids(ids),
                (object_type_of(Note), note_ids),
                (object_type_of(Attachment), file_ids),
            ]
        ),
    }


def lead_personal_data(*, lead: Lead, user: User) -> dict[str, Any]:
    """Everything about the lead `lead` (a person before he becomes a customer) that
    `user` may see: the lead, its tasks, notes, files and activity."""
    everything = sees_everything(user)
    records, ids = _records_json({"task": (record_type("task"), tasks_visible_to(user).filter(lead=lead))})
    notes = visible_links(Note.objects.filter(lead=lead), user, everything)
    files = visible_links(Attachment.objects.filter(lead=lead), user, everything)
    note_ids = list(notes.values_list("pk", flat=True))
    file_ids = list(files.values_list("pk", flat=True))
    own = rows_with_children(Lead.objects.filter(pk=lead.pk)).get()
    return {
        **_header(user=user, subject="lead", obj=lead),
        "lead": row_json(own, depth=0),
        "records": records,
        "notes": _notes_json(notes),
        "files": _files_json(files),
        "activity": _activity_json(
            [
                (object_type_of(Lead), [lead.pk]),
                *_type_ids(ids),
                (object_type_of(Note), note_ids),
                (object_type_of(Attachment), file_ids),
            ]
        ),
    }
