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

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.common.records import RecordType, record_type, record_type_of, record_types
from crm.contacts.models import Customer
from crm.notes.models import Attachment, Note, TimelineEvent

TIMELINE_PAGE = 40
TIMELINE_MAX = 400


@dataclass
class TimelineItem:
    when: datetime
    kind: str  # note / file / event, or a record type's key (deal, task, ...)
    obj: Any
    actor: User | None = None
    record_type: RecordType | None = None


def visible_links(qs: QuerySet[Any], user: User, everything: bool) -> QuerySet[Any]:
    """Rows tied to a deal or task show only if the user may see that deal/task
    (checked row by row with EXISTS: cheap for one customer's few rows, unlike an
    IN over every visible task of the company)."""
    if not everything:
        deals = record_type("deal").visible(user)
        qs = qs.filter(Q(deal__isnull=True) | Exists(deals.filter(pk=OuterRef("deal_id"))))
    tasks = record_type("task").visible(user)
    return qs.filter(Q(task__isnull=True) | Exists(tasks.filter(pk=OuterRef("task_id"))))


def _linked_types() -> list[RecordType]:
    """Record types that belong to a customer and show on its timeline."""
    return [t for t in record_types() if t.customer_field and t.timeline_template]


def customer_timeline(
    *, customer: Customer, user: User, limit: int = TIMELINE_PAGE, everything: bool | None = None
) -> tuple[list[TimelineItem], bool]:
    """(items newest first, whether older items exist)."""
    if everything is None:
        everything = sees_everything(user)
    limit = max(1, min(limit, TIMELINE_MAX))
    take = limit + 1
    items: list[TimelineItem] = []
    notes = visible_links(Note.objects.filter(customer=customer), user, everything).select_related(
        "author", "deal", "task"
    )
    items += [TimelineItem(n.created_at, "note", n, n.author) for n in notes.order_by("-created_at", "-id")[:take]]
    files = visible_links(Attachment.objects.filter(customer=customer), user, everything).select_related(
        "uploaded_by", "deal", "task"
    )
    items += [TimelineItem(f.created_at, "file", f, f.uploaded_by) for f in files.order_by("-created_at", "-id")[:take]]
    events = visible_links(TimelineEvent.objects.filter(customer=customer), user, everything).select_related(
        "actor", "deal", "task"
    )
    items += [TimelineItem(e.created_at, "event", e, e.actor) for e in events.order_by("-created_at", "-id")[:take]]
    for linked in _linked_types():
        rows = linked.visible(user).filter(**{linked.customer_field or "": customer})
        if linked.list_related:
            rows = rows.select_related(*linked.list_related)
        items += [
            TimelineItem(row.created_at, linked.key, row, getattr(row, linked.owner_field or "", None), linked)
            for row in rows.order_by("-created_at", "-id")[:take]
        ]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit], len(items) > limit


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
        elif rtype.key == "task":
            links = {"task": obj, "deal_id": getattr(obj, "deal_id", None)}
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
