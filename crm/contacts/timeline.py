"""The customer card's timeline: notes, tasks, deals, files and recorded changes in
one chronological stream. A fixed number of queries whatever the history's length:
the newest `limit` rows of each kind, merged in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from crm.accounts.access import sees_everything
from crm.contacts.models import Customer
from crm.notes.models import Attachment, Note, TimelineEvent
from crm.notes.targets import deals_visible, tasks_visible

TIMELINE_PAGE = 40
TIMELINE_MAX = 400


@dataclass
class TimelineItem:
    when: datetime
    kind: str  # note / task / deal / file / event
    obj: Any
    actor: Any = None


def visible_links(qs: QuerySet[Any], user: Any, everything: bool) -> QuerySet[Any]:
    """Rows tied to a deal or task show only if the user may see that deal/task
    (checked row by row with EXISTS: cheap for one customer's few rows, unlike an
    IN over every visible task of the company)."""
    if not everything:
        qs = qs.filter(Q(deal__isnull=True) | Exists(deals_visible(user).filter(pk=OuterRef("deal_id"))))
    return qs.filter(Q(task__isnull=True) | Exists(tasks_visible(user).filter(pk=OuterRef("task_id"))))


def customer_timeline(
    *, customer: Customer, user: Any, limit: int = TIMELINE_PAGE, everything: bool | None = None
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
    deals = deals_visible(user).filter(customer=customer).select_related("owner", "stage", "status")
    items += [TimelineItem(d.created_at, "deal", d, d.owner) for d in deals.order_by("-created_at", "-id")[:take]]
    tasks = tasks_visible(user).filter(customer=customer).select_related("assignee", "category", "deal")
    items += [TimelineItem(t.created_at, "task", t, t.assignee) for t in tasks.order_by("-created_at", "-id")[:take]]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit], len(items) > limit
