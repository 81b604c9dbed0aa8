"""Writing the activity log: services call `activity_record(...)` with the person acting
(`actor`), an event code and its parameters, inside their own transaction.

Nothing is recorded behind the services' backs (no model signals, no context
variables). The request's address travels with the actor: the request boundary (page
middleware, API authentication) stamps the signed-in user with `actor_address_stamp`,
so an entry written by a service for that user carries the IP; a Celery job's actor,
loaded from the database, has none.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest
from django.utils import translation

from crm.activity.messages import event_text
from crm.activity.models import ActivityEntry, ActivityKind
from tenants.db import on_public_schema

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from crm.common.types import AuthUser

ADDRESS_ATTR = "_activity_ip"


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _valid_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request)
    except Exception:
        return request.META.get("REMOTE_ADDR") or None


def actor_address_stamp(user: AuthUser | AnonymousUser | None, request: HttpRequest) -> None:
    """Remember on the signed-in `user` object of this request where the request came from."""
    if user is not None and getattr(user, "is_authenticated", False):
        setattr(user, ADDRESS_ATTR, client_ip(request))


def actor_address(user: AuthUser | None) -> str | None:
    return getattr(user, ADDRESS_ATTR, None) if user is not None else None


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, str]]:
    """[{"field", "from", "to"}] for every field whose shown value differs."""
    return [
        {"field": name, "from": str(old), "to": str(after.get(name))}
        for name, old in before.items()
        if str(old) != str(after.get(name))
    ]


def activity_record(
    *,
    actor: AuthUser | None,
    kind: str,
    code: str = "",
    params: Mapping[str, Any] | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    user_label: str = "",
    ip: str | None = None,
    message: str = "",
) -> ActivityEntry | None:
    """Add one entry in the active company schema; returns None on the public schema.

    `kind` is an `ActivityKind` value (the log's filter); `code` and `params` say what
    happened (crm/activity/messages.py renders them in the reader's language; `message`
    keeps the Polish text as a fallback). `actor` is the person acting or None (system);
    `ip` defaults to the address the actor's request came from.
    """
    if on_public_schema():
        return None
    if kind not in ActivityKind.values:
        kind = ActivityKind.OTHER
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_repr = object_repr or str(obj)
    stored = dict(params or {})
    if code and not message:
        with translation.override("pl"):
            message = event_text(code=code, params=stored, object_type=object_type)
    return ActivityEntry.objects.create(
        user=actor if actor is not None and actor.pk else None,
        user_label=(user_label or (getattr(actor, "email", "") if actor is not None else ""))[:254],
        kind=kind,
        code=code[:60],
        params=stored,
        object_type=object_type[:100],
        object_id=str(obj.pk)[:64] if obj is not None and obj.pk is not None else "",
        object_repr=object_repr[:200],
        message=str(message)[:500],
        ip=_valid_ip(ip if ip is not None else actor_address(actor)),
    )


def activity_export_record(
    *,
    actor: AuthUser | None,
    what: str,
    file_format: str,
    rows: int,
    filters: Mapping[str, Any],
    title: str = "",
    obj: models.Model | None = None,
) -> ActivityEntry | None:
    """One entry per export: what, in which format, how many rows, with which filters
    (and `obj`, the record exported, when an export is about one record)."""
    clean = {str(k): _filter_value(v) for k, v in filters.items() if v not in (None, "", [], ())}
    params: dict[str, Any] = {"what": what, "format": file_format, "rows": rows, "filters": clean}
    if title:
        params["title"] = title
    return activity_record(actor=actor, kind=ActivityKind.EXPORT, code="export", params=params, obj=obj)


def _filter_value(value: Any) -> str:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ",".join(str(v) for v in value)
    return str(value)
