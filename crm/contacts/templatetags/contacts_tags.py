from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, key: str) -> str:
    """Query string toggling the list's sort between `key` and `-key` (back to page 1)."""
    current = context["filters"].sort
    target = f"-{key}" if current == key else key
    return querystring(context, sort=target, page=None)


@register.filter
def sort_state(filters: Any, key: str) -> str:
    if filters.sort == key:
        return "ascending"
    if filters.sort == f"-{key}":
        return "descending"
    return "none"


@register.filter
def cell(data: dict[str, Any], key: str) -> str:
    """A previewed import value as text (lists joined, missing as empty)."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
