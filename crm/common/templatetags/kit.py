"""Template tags of the shared kit: `{% load kit %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from crm.common.settings_pages import SettingsPage, settings_pages

register = template.Library()


@register.simple_tag
def chip(
    category: Any = None, extra_class: str = "", *, label: Any = None, color: str = "", dot_class: str = ""
) -> SafeString:
    """A colour chip: `{% chip deal.stage %}` for a colour category (nothing for None), or
    `{% chip label=row.label color=row.color %}` for a label and a colour. The dot is
    painted from data-color by static/js/app.js (the CSP forbids inline styles);
    `dot_class` colours it by a CSS class instead (the public site's illustrations)."""
    if category is not None:
        label, color = category.name, category.color
    elif label is None:
        return SafeString("")
    return format_html(
        '<span class="{}"><span class="{}"{} aria-hidden="true"></span>{}</span>',
        f"chip {extra_class}".strip(),
        f"dot {dot_class}".strip(),
        format_html(' data-color="{}"', color) if color else "",
        label,
    )


@register.simple_tag(name="settings_pages")
def settings_pages_tag() -> list[SettingsPage]:
    """`{% settings_pages as pages %}`: the Settings menu, in order."""
    return settings_pages()
