"""The event bus: services report what happened to a record ("deal.won"), features
listen (outgoing webhooks, automations) without the services importing them.

A service calls, inside its transaction, after the row is saved:

    event_emit("deal.won", deal, actor=actor)

and a feature registers in its `AppConfig.ready()`:

    event_listener_register(my_listener)   # my_listener(event: Event) -> None

Listeners run synchronously, in the emitting transaction (a failure rolls the change
back, so a listener keeps its own work small and defers slow work with
`transaction.on_commit`). `event_chain()` tells a listener which rules already ran in
the current chain of events, so automations never loop.
Nothing here imports a project app: this module is the bottom layer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone

from crm.common.types import AuthUser


@dataclass(frozen=True)
class Event:
    name: str  # "deal.won"
    obj: Model
    actor: AuthUser | None
    data: dict[str, Any] = field(default_factory=dict)  # extra facts ("stage_id", "source_id")
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=timezone.now)


Listener = Callable[[Event], None]

_listeners: list[Listener] = []
_chain: ContextVar[frozenset[str] | None] = ContextVar("imcrm_event_chain", default=None)


def event_listener_register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def event_emit(name: str, obj: Model, *, actor: AuthUser | None = None, **data: Any) -> Event:
    """Tell every listener that `name` happened to `obj`."""
    event = Event(name=name, obj=obj, actor=actor, data=data)
    for listener in _listeners:
        listener(event)
    return event


def event_chain() -> frozenset[str]:
    """Keys (e.g. "rule:5") marked by `event_chain_mark` further up the current chain."""
    return _chain.get() or frozenset()


@contextmanager
def event_chain_mark(key: str) -> Iterator[None]:
    """While a listener acts (e.g. an automation rule creates a task), events emitted by
    that action carry `key` in `event_chain()`, so the same rule is not run again."""
    token = _chain.set(event_chain() | {key})
    try:
        yield
    finally:
        _chain.reset(token)
