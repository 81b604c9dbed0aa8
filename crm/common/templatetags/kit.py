"""Template tags of the shared kit: `{% load kit %}`."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any, Literal

from django import template
from django.template.defaulttags import querystring
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from crm.common.settings_pages import SettingsPage, settings_pages

register = template.Library()

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def relative_luminance(color: str) -> float | None:
    """WCAG 2 relative luminance of `#rgb`/`#rrggbb` (None for anything else)."""
    if not _HEX.match(color):
        return None
    digits = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])

    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(digits[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@functools.lru_cache(maxsize=256)  # a company has a few dozen colours; chips are drawn on every row
def text_on(color: str) -> Literal["dark", "light"] | None:
    """Dark or white text, whichever contrasts more with a background of `color`.
    The better of the two always reaches 4.58:1 (WCAG AA for text asks 4.5:1)."""
    lum = relative_luminance(color)
    if lum is None:
        return None
    dark = (lum + 0.05) / 0.05  # black text (#212529 would leave mid-tones at 4.0:1)
    light = 1.05 / (lum + 0.05)
    return "dark" if dark >= light else "light"


@register.simple_tag
def chip(
    category: Any = None, extra_class: str = "", *, label: Any = None, color: str = "", dot_class: str = ""
) -> SafeString:
    """A colour chip: `{% chip deal.stage %}` for a colour category (nothing for None), or
    `{% chip label=row.label color=row.color %}` for a label and a colour. The chip is
    filled with the colour and its text is dark or white by the colour's luminance, so
    it stays readable whatever colour the Szef picks. Chip and dot are painted from
    data-bg / data-color by static/js/app.js (the CSP forbids inline styles);
    `dot_class` colours the dot by a CSS class instead (the public site's illustrations)."""
    if category is not None:
        label, color = category.name, category.color
    elif label is None:
        return SafeString("")
    text = text_on(color) if color else None
    classes = ["chip", f"chip-filled chip-text-{text}" if text else "", extra_class]
    return format_html(
        '<span class="{}"{}><span class="{}"{} aria-hidden="true"></span>{}</span>',
        " ".join(c for c in classes if c),
        format_html(' data-bg="{}"', color) if text else "",
        f"dot {dot_class}".strip(),
        format_html(' data-color="{}"', color) if color else "",
        label,
    )


@register.simple_tag(name="settings_pages")
def settings_pages_tag() -> list[SettingsPage]:
    """`{% settings_pages as pages %}`: the Settings menu, in order."""
    return settings_pages()


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, key: str) -> str:
    """Query string toggling a list's sort between `key` and `-key`, back to page 1 (the
    view puts the current sort in the context as `sort`)."""
    target = f"-{key}" if context.get("sort") == key else key
    return querystring(context, sort=target, page=None)


@register.filter
def sort_state(current: str, key: str) -> str:
    """`aria-sort` of the column sorting by `key` when the list is sorted by `current`."""
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


@register.filter
def money(value: Decimal | int | None, currency: str = "PLN") -> str:
    """12500 -> "12 500,00 PLN" (separators of the active language); None -> ""."""
    if value is None:
        return ""
    return f"{number_format(value, 2, force_grouping=True)} {currency}"


@register.filter
def amount(value: Decimal | int | None, places: int = 2) -> str:
    """A number with grouping and the language's separators: 1234.5 -> "1 234,50"."""
    if value is None:
        return ""
    return number_format(value, places, force_grouping=True)


@register.filter
def quantity(value: Decimal | int | None) -> str:
    """A quantity without trailing zeros: 2.0000 -> "2", 1.5000 -> "1,5"."""
    if value is None:
        return ""
    number = Decimal(value)
    exponent = number.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, places, force_grouping=True)
