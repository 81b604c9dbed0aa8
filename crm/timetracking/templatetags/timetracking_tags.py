"""`{{ minutes|hm }}`: minutes as hours and minutes ("7:05"); 0 shows as "—" with `blank`."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def hm(minutes: int | None, blank: str = "") -> str:
    total = int(minutes or 0)
    if total == 0 and blank:
        return blank
    return f"{total // 60}:{total % 60:02d}"
