"""Fixed-window counters in the Redis cache: how often one client (by address, or any
other key) did something, for the doors anyone can knock on without signing in (the
public site's signup, a company's public offer pages).

Limits are `(count, seconds)`. The client address is the one allauth trusts
(`ALLAUTH_TRUSTED_PROXY_COUNT` behind nginx), so login throttling and these limits
agree. When Redis is down the cache fails open and nothing is limited.
"""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

Limit = tuple[int, int]


def client_ip(request: HttpRequest) -> str:
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def window_key(scope: str, who: str, seconds: int) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]
    return f"ratelimit:{scope}:{digest}:{int(time.time() // seconds)}"


def window_hit(scope: str, who: str, limit: Limit) -> bool:
    """Count one attempt of `who`; False once `limit` is used up for the window."""
    count, seconds = limit
    key = window_key(scope, who, seconds)
    if cache.add(key, 1, timeout=seconds + 1):
        return count >= 1
    try:
        return cache.incr(key) <= count
    except ValueError:  # the window ended between add and incr
        return True


def window_used_up(scope: str, who: str, limit: Limit) -> bool:
    """Has `who` used up `limit` in this window? (Counts nothing.)"""
    count, seconds = limit
    try:
        return int(cache.get(window_key(scope, who, seconds)) or 0) >= count
    except (TypeError, ValueError):
        return False


def window_reset(scope: str, who: str, limit: Limit) -> None:
    cache.delete(window_key(scope, who, limit[1]))
