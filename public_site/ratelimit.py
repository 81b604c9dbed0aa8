"""Per-IP limits for the public site's doors (signup, the availability check,
the address reminder): fixed windows counted in the Redis cache.

Limits are `(count, seconds)`; `IMCRM_PUBLIC_RATE_LIMITS` in settings overrides
the defaults by name. The client address is the one allauth trusts
(`ALLAUTH_TRUSTED_PROXY_COUNT` behind nginx), so login throttling and these
limits agree. When Redis is down the cache fails open and nothing is limited.
"""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "signup": (10, 15 * 60),  # signup form submissions
    "signup_check": (120, 60),  # live availability checks and suggestions while typing
    "address_reminder": (5, 60 * 60),  # "forgot your address?" requests per IP
    "address_reminder_email": (3, 60 * 60),  # reminders mailed to one inbox, whoever asks
}


def limit_for(scope: str) -> tuple[int, int]:
    overrides: dict[str, tuple[int, int]] = getattr(settings, "IMCRM_PUBLIC_RATE_LIMITS", {}) or {}
    return tuple(overrides.get(scope, DEFAULT_LIMITS[scope]))  # type: ignore[return-value]


def client_ip(request: HttpRequest) -> str:
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def _cache_key(scope: str, who: str, seconds: int) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]
    return f"ratelimit:{scope}:{digest}:{int(time.time() // seconds)}"


def reset(scope: str, who: str) -> None:
    """Forget `who`'s attempts in the current window (an operator's unblock; the benches)."""
    cache.delete(_cache_key(scope, who, limit_for(scope)[1]))


def hit(request: HttpRequest, scope: str, *, key: str | None = None) -> bool:
    """Count one attempt; False when this client has used up `scope` for the window."""
    count, seconds = limit_for(scope)
    who = key if key is not None else client_ip(request)
    cache_key = _cache_key(scope, who, seconds)
    if cache.add(cache_key, 1, timeout=seconds + 1):
        return count >= 1
    try:
        return cache.incr(cache_key) <= count
    except ValueError:  # the window ended between add and incr
        return True
