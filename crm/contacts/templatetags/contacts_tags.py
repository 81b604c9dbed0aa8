from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def cell(data: dict[str, Any], key: str) -> str:
    """A previewed import value as text (lists joined, missing as empty)."""
    value = data.get("custom_fields", {}).get(key[3:]) if key.startswith("cf_") else data.get(key)
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
