"""Per-IP limits for the public site's doors (signup, the availability check,
the address reminder): fixed windows counted in the Redis cache (crm.common.ratelimit).

Limits are `(count, seconds)`; `IMCRM_PUBLIC_RATE_LIMITS` in settings overrides
the defaults by name.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from crm.common.ratelimit import client_ip, window_hit, window_reset

__all__ = ["client_ip", "hit", "limit_for", "reset"]

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "signup": (10, 15 * 60),  # signup form submissions
    "signup_check": (120, 60),  # live availability checks and suggestions while typing
    "address_reminder": (5, 60 * 60),  # "forgot your address?" requests per IP
    "address_reminder_email": (3, 60 * 60),  # reminders mailed to one inbox, whoever asks
}


def limit_for(scope: str) -> tuple[int, int]:
    overrides: dict[str, tuple[int, int]] = getattr(settings, "IMCRM_PUBLIC_RATE_LIMITS", {}) or {}
    return tuple(overrides.get(scope, DEFAULT_LIMITS[scope]))  # type: ignore[return-value]


def reset(scope: str, who: str) -> None:
    """Forget `who`'s attempts in the current window (an operator's unblock; the benches)."""
    window_reset(scope, who, limit_for(scope))


def hit(request: HttpRequest, scope: str, *, key: str | None = None) -> bool:
    """Count one attempt; False when this client has used up `scope` for the window."""
    return window_hit(scope, key if key is not None else client_ip(request), limit_for(scope))
