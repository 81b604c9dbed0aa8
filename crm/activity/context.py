"""Who is acting right now, without passing the request around.

`crm.settings.middleware.ActivityContextMiddleware` puts the current request of a
company host here, so the generic model signals can name the person; code that runs
outside a request (a Celery job started by someone) can use `activity_actor(user)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

from crm.common.types import AuthUser

_request: ContextVar[HttpRequest | None] = ContextVar("imcrm_activity_request", default=None)
_actor: ContextVar[AuthUser | None] = ContextVar("imcrm_activity_actor", default=None)
_suppressed: ContextVar[bool] = ContextVar("imcrm_activity_suppressed", default=False)


@contextmanager
def activity_request(request: HttpRequest) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def activity_actor(user: AuthUser | None) -> Iterator[None]:
    """Attribute the changes made inside the block to `user` (e.g. in a Celery task)."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def activity_generic_suppressed() -> Iterator[None]:
    """Skip the generic create/update/delete entries inside the block (the caller
    writes one clearer entry itself, e.g. "deleted X, 12 records moved to Y")."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def generic_suppressed() -> bool:
    return _suppressed.get()


def current_request() -> HttpRequest | None:
    return _request.get()


def current_actor() -> AuthUser | None:
    """The signed-in user behind the current change, or None (system, anonymous)."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    if request is None:
        return None
    # DRF sets the token-authenticated user on the underlying HttpRequest too.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request)
    except Exception:
        return request.META.get("REMOTE_ADDR") or None
