"""Sign-in events, from Django's auth signals (they carry the request): logins,
logouts, failed logins and login locks. Changes of records are written by the
services that make them (`crm.activity.services.activity_record`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, client_ip
from crm.common.types import AuthUser
from tenants.db import on_public_schema
from tenants.login_throttle import login_locked


def _on_login(sender: Any, request: HttpRequest | None, user: AuthUser, **kwargs: Any) -> None:
    if not on_public_schema():
        activity_record(actor=user, kind=ActivityKind.LOGIN, ip=client_ip(request))


def _on_logout(sender: Any, request: HttpRequest | None, user: AuthUser | None, **kwargs: Any) -> None:
    if user is not None and not on_public_schema():
        activity_record(actor=user, kind=ActivityKind.LOGOUT, ip=client_ip(request))


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if on_public_schema():
        return
    typed = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")
    known = get_user_model().objects.filter(email__iexact=typed).first() if typed else None
    activity_record(actor=known, kind=ActivityKind.LOGIN_FAILED, user_label=typed, ip=client_ip(request))


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
    params = {"minutes": max(1, seconds // 60), "failures": failures, "ip": ip, "account": account or "?"}
    activity_record(
        actor=known,
        kind=ActivityKind.LOGIN_FAILED,
        code="login.locked_ip" if scope == "ip" else "login.locked_account",
        params=params,
        user_label=account,
        ip=client_ip(request),
    )


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="activity_login")
    user_logged_out.connect(_on_logout, dispatch_uid="activity_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="activity_login_failed")
    login_locked.connect(_on_login_locked, dispatch_uid="activity_login_locked")
