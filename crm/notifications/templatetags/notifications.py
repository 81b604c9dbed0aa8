from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def notifications_poll_seconds() -> int:
    """How often an open page asks for the unread count (NOTIFICATIONS_POLL_SECONDS)."""
    return int(getattr(settings, "NOTIFICATIONS_POLL_SECONDS", 30))
