from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def colour_chip(category: Any, extra_class: str = "") -> SafeString:
    """A colour chip; the dot is painted by static/js/contacts.js from data-color (CSP: no inline style)."""
    if category is None:
        return SafeString("")
    return format_html(
        '<span class="chip {}"><span class="dot" data-color="{}" aria-hidden="true"></span>{}</span>',
        extra_class,
        category.color,
        category.name,
    )


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


@register.simple_tag(takes_context=True)
def column_options(context: template.Context, columns: list[tuple[int, str]], selected: int | None) -> SafeString:
    """The <option>s of one import-mapping <select>, one per file column. Titles are
    escaped once per page (render_context), not once per select: 16 selects x 100
    columns through format_html made this the slowest part of the page."""
    key = f"column_options:{id(columns)}"
    options = context.render_context.get(key)
    if options is None:
        options = [(int(index), escape(title or "?")) for index, title in columns]
        context.render_context[key] = options
    html = "".join(f'<option value="{i}"{" selected" if i == selected else ""}>{t}</option>' for i, t in options)
    return mark_safe(html)  # noqa: S308 - integer values, titles escaped above
