from __future__ import annotations

from typing import Any

from crm.notes.models import TimelineEvent


def timeline_event_record(
    *, customer: Any, kind: str, message: str, actor: Any = None, deal: Any = None, task: Any = None
) -> TimelineEvent:
    """Add an entry to a customer's timeline (e.g. kind="deal_stage_changed")."""
    return TimelineEvent.objects.create(
        customer=customer, kind=kind, message=message[:500], actor=actor, deal=deal, task=task
    )
