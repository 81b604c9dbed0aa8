"""Writing the activity log. Other apps call `activity_record(...)` for events the
generic model signals cannot see (exports, settings changes, logins)."""

from __future__ import annotations

import ipaddress

from django.db import models
from django.http import HttpRequest

from crm.activity.context import client_ip, current_actor, current_request
from crm.activity.models import ActivityEntry, ActivityKind
from crm.common.types import AuthUser
from tenants.db import on_public_schema


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _valid_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def activity_record(
    *,
    kind: str,
    message: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    user: AuthUser | None = None,
    user_label: str = "",
    request: HttpRequest | None = None,
) -> ActivityEntry | None:
    """Add one entry in the active company schema; returns None on the public schema.

    `kind` is an `ActivityKind` value (e.g. "export"); `user` defaults to whoever is
    acting in the current request, `obj` names the record concerned.
    """
    if on_public_schema():
        return None
    if kind not in ActivityKind.values:
        kind = ActivityKind.OTHER
    request = request if request is not None else current_request()
    if user is None:
        user = current_actor()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_repr = object_repr or str(obj)
    return ActivityEntry.objects.create(
        user=user if user is not None and user.pk else None,
        user_label=(user_label or (getattr(user, "email", "") if user is not None else ""))[:254],
        kind=kind,
        object_type=object_type[:100],
        object_id=str(obj.pk)[:64] if obj is not None and obj.pk is not None else "",
        object_repr=object_repr[:200],
        message=str(message)[:500],
        ip=_valid_ip(client_ip(request)),
    )
