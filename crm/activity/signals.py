"""Generic recording: every create/update/delete of a CRM model made by a signed-in
person, plus logins, logouts, failed logins and login locks. Other apps need not call anything."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import gettext as _

from crm.activity.context import current_actor, generic_suppressed
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.types import AuthUser
from tenants.db import on_public_schema
from tenants.login_throttle import login_locked

# Apps whose rows are not "records": the log itself; company settings and staff
# (their services write clearer "settings"/"staff" entries saying what changed).
UNTRACKED_APP_LABELS = {"activity", "company", "crmsettings", "accounts"}
# Rows the system writes as a side effect of someone's change (the change itself is logged).
UNTRACKED_MODELS = {"notes.timelineevent", "notes.noterevision", "contacts.customerimport"}
# Saves touching only these fields are bookkeeping, not someone's change.
BOOKKEEPING_FIELDS = {"last_login", "updated_at", "last_contact_at", "search_text", "remind_at", "reminder_sent_at"}


@cache
def tracked_model_labels() -> frozenset[str]:
    labels: set[str] = set()
    for config in apps.get_app_configs():
        if config.name.startswith("crm.") and config.label not in UNTRACKED_APP_LABELS:
            labels.update(
                m._meta.label_lower for m in config.get_models() if m._meta.label_lower not in UNTRACKED_MODELS
            )
    return frozenset(labels)


def _tracked(sender: type[models.Model]) -> bool:
    return (
        not generic_suppressed()
        and sender._meta.label_lower in tracked_model_labels()
        and not sender._meta.auto_created
        and not on_public_schema()
    )


def _on_save(sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not _tracked(sender):
        return
    update_fields = kwargs.get("update_fields")
    if not created and update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    actor = current_actor()
    if actor is None:
        return
    activity_record(kind=ActivityKind.CREATE if created else ActivityKind.UPDATE, obj=instance, user=actor)


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _tracked(sender):
        return
    actor = current_actor()
    if actor is None:
        return
    activity_record(kind=ActivityKind.DELETE, obj=instance, user=actor)


def _on_login(sender: Any, request: HttpRequest | None, user: AuthUser, **kwargs: Any) -> None:
    if not on_public_schema():
        activity_record(kind=ActivityKind.LOGIN, user=user, request=request)


def _on_logout(sender: Any, request: HttpRequest | None, user: AuthUser | None, **kwargs: Any) -> None:
    if user is not None and not on_public_schema():
        activity_record(kind=ActivityKind.LOGOUT, user=user, request=request)


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if on_public_schema():
        return
    typed = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")
    known = get_user_model().objects.filter(email__iexact=typed).first() if typed else None
    activity_record(kind=ActivityKind.LOGIN_FAILED, user=known, user_label=typed, request=request)


def _on_login_locked(
    sender: Any,
    request: HttpRequest | None,
    account: str,
    ip: str,
    scope: str,
    failures: int,
    seconds: int,
    **kwargs: Any,
) -> None:
    """The shared login throttle (tenants/login_throttle.py) locked sign-in: one entry per lock."""
    if on_public_schema():
        return
    known = get_user_model().objects.filter(email__iexact=account).first() if account else None
    values = {"minutes": max(1, seconds // 60), "failures": failures, "ip": ip, "account": account or "?"}
    if scope == "ip":
        message = _(
            "Logowanie z adresu %(ip)s wstrzymane na %(minutes)s min po %(failures)s nieudanych próbach "
            "(ostatnio na konto %(account)s)."
        )
    else:
        message = _(
            "Logowanie na konto %(account)s z adresu %(ip)s wstrzymane na %(minutes)s min "
            "po %(failures)s nieudanych próbach."
        )
    activity_record(
        kind=ActivityKind.LOGIN_FAILED, user=known, user_label=account, request=request, message=message % values
    )


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="activity_post_save")
    post_delete.connect(_on_delete, dispatch_uid="activity_post_delete")
    user_logged_in.connect(_on_login, dispatch_uid="activity_login")
    user_logged_out.connect(_on_logout, dispatch_uid="activity_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="activity_login_failed")
    login_locked.connect(_on_login_locked, dispatch_uid="activity_login_locked")
