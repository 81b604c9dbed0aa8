"""The customer card's timeline: notes, files, recorded changes and the records of
every registered type that point at the customer (deals, tasks, ...), in one
chronological stream. A fixed number of queries whatever the history's length: the
newest `limit` rows of each kind, merged in Python.

The timeline also receives the events services report with
`crm.common.records.record_event` (see `timeline_events_record`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import CharField, Exists, Model, OuterRef, Q, QuerySet, Value

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.common.records import RecordType, record_type_of, record_types
from crm.contacts.models import Customer
from crm.notes.models import LINKED_KINDS, Attachment, Note, TimelineEvent
from crm.notes.targets import registered_type

TIMELINE_PAGE = 40
# Records a note, file or event may be tied to (shown with the entry).
LINKED_SELECT = tuple(k for k in LINKED_KINDS if k not in ("deal", "task"))
TIMELINE_MAX = 400


@dataclass
class TimelineItem:
    when: datetime
    kind: str  # note / file / event, or a record type's key (deal, task, ...)
    obj: Any
    actor: User | None = None
    record_type: RecordType | None = None


def visible_links(qs: QuerySet[Any], user: User, everything: bool) -> QuerySet[Any]:
    """Rows tied to a task, an offer, an invoice or a deal show only if the user may see
    that record (checked row by row with EXISTS: cheap for one customer's few rows, unlike
    an IN over every visible task of the company); rows of a type not registered yet stay hidden."""
    linked = {field.name for field in qs.model._meta.get_fields()}
    for kind in LINKED_KINDS:
        if kind not in linked:  # e.g. timeline events are never about a lead
            continue
        rtype = registered_type(kind)
        if rtype is None:
            qs = qs.filter(**{f"{kind}__isnull": True})
        elif not (everything and kind == "deal"):  # every deal is visible to those who see everything
            visible = Exists(rtype.visible(user).filter(pk=OuterRef(f"{kind}_id")))
            qs = qs.filter(Q(**{f"{kind}__isnull": True}) | visible)
    return qs


def _linked_types() -> list[RecordType]:
    """Record types that belong to a customer and show on its timeline."""
    return [t for t in record_types() if t.customer_field and t.timeline_template]


def customer_timeline(
    *, customer: Customer, user: User, limit: int = TIMELINE_PAGE, everything: bool | None = None
) -> tuple[list[TimelineItem], bool]:
    """(items newest first, whether older items exist).

    Two steps, so only what is shown is read in full: one UNION ALL of the newest
    (created_at, id) of each kind (each part a short index scan of this customer's rows),
    merged here; then the chosen rows of each kind with their relations. Reading `limit`
    full rows of every kind and dropping most of them made model instances and their
    datetimes half of the timeline's time."""
    if everything is None:
        everything = sees_everything(user)
    limit = max(1, min(limit, TIMELINE_MAX))
    take = limit + 1
    sources: dict[str, tuple[QuerySet[Any], tuple[str, ...], RecordType | None]] = {
        "note": (
            visible_links(Note.objects.filter(customer=customer), user, everything),
            ("author", "deal", "task", *LINKED_SELECT),
            None,
        ),
        "file": (
            visible_links(Attachment.objects.filter(customer=customer), user, everything),
            ("uploaded_by", "deal", "task", *LINKED_SELECT),
            None,
        ),
        "event": (
            visible_links(TimelineEvent.objects.filter(customer=customer), user, everything),
            ("actor", "deal", "task", *(k for k in LINKED_SELECT if k != "lead")),  # events are never on a lead
            None,
        ),
    }
    for linked in _linked_types():
        rows = linked.visible(user).filter(**{linked.customer_field or "": customer})
        sources[linked.key] = (rows, linked.list_related, linked)
    newest = [
        qs.annotate(_kind=Value(kind, output_field=CharField()))
        .order_by("-created_at", "-id")
        .values_list("created_at", "id", "_kind")[:take]
        for kind, (qs, _related, _type) in sources.items()
    ]
    heads = sorted(newest[0].union(*newest[1:], all=True), key=lambda row: (row[0], row[1]), reverse=True)
    more = len(heads) > limit
    chosen: dict[str, list[int]] = {}
    for _when, pk, kind in heads[:limit]:
        chosen.setdefault(kind, []).append(pk)
    items: list[TimelineItem] = []
    for kind, pks in chosen.items():
        qs, related, its_type = sources[kind]
        rows = qs.filter(pk__in=pks).select_related(*related) if related else qs.filter(pk__in=pks)
        items += [_item(kind, row, its_type) for row in rows]
    items.sort(key=lambda item: (item.when, item.obj.pk), reverse=True)
    return items, more


def _item(kind: str, row: Any, linked: RecordType | None) -> TimelineItem:
    if linked is not None:
        return TimelineItem(row.created_at, kind, row, getattr(row, linked.owner_field or "", None), linked)
    actor = {"note": "author", "file": "uploaded_by", "event": "actor"}[kind]
    return TimelineItem(row.created_at, kind, row, getattr(row, actor))


def timeline_events_record(
    *,
    objs: Sequence[Model],
    kind: str,
    message: str,
    actor: User | None,
    code: str = "",
    params: dict[str, Any] | None = None,
) -> None:
    """Put "`message`" on the timeline of each record's customer (registered with
    `record_event_sink_register`; records without a customer have no timeline)."""
    events = []
    for obj in objs:
        rtype = record_type_of(obj)
        customer_id = rtype.customer_id_of(obj)
        if customer_id is None:
            continue
        links: dict[str, Any] = {}
        if rtype.key == "deal":
            links["deal"] = obj
        elif rtype.key in LINKED_KINDS:  # a task, an offer, an invoice: and the deal it belongs to
            links = {rtype.key: obj, "deal_id": getattr(obj, "deal_id", None)}
        events.append(
            TimelineEvent(
                customer_id=customer_id,
                kind=kind,
                code=code,
                params=params or {},
                message=message[:500],
                actor=actor,
                **links,
            )
        )
    TimelineEvent.objects.bulk_create(events)
