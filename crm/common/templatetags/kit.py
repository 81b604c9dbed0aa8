"""Template tags of the shared kit: `{% load kit %}`."""

from __future__ import annotations

import re
from typing import Any, Literal

from django import template
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
