from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (None or "" removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, key: str) -> str:
    """Query string toggling the list's sort between `key` and `-key`."""
    current = context["filters"].sort
    target = f"-{key}" if current == key else key
    return query_with(context, sort=target)


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
