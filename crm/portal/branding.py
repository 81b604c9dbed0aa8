"""The portal in the company's colour: a primary colour Szef sets in Settings > Portal
klienta, served as a small stylesheet of CSS custom properties (CSP: no inline styles)
at /portal/brand.css?v=<last change>.

The text on the primary colour is black or white, whichever contrasts more (WCAG 2
relative luminance); links use the primary colour only where it is readable on white.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.portal.models import PortalBranding

HEX_RE = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
BLACK = "#000000"
WHITE = "#ffffff"
READABLE = 4.5  # WCAG AA for normal text


def color_normalize(value: str) -> str:
    """ "#1a2B3c", "1A2B3C" or "#abc" -> "#1a2b3c"; "" stays ""; anything else: ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    match = HEX_RE.match(value)
    if match is None:
        raise ValidationError(_("Podaj kolor w zapisie szesnastkowym, np. #1f6feb."))
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def _luminance(color: str) -> float:
    def channel(part: str) -> float:
        c = int(part, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color_for(background: str) -> str:
    """Black or white, whichever reads better on `background` (always at least 4.5:1)."""
    return WHITE if contrast(background, WHITE) >= contrast(background, BLACK) else BLACK


@transaction.atomic
def branding_save(*, primary_color: str, actor: User) -> PortalBranding:
    color = color_normalize(primary_color)
    obj = PortalBranding.objects.select_for_update().order_by("pk").first() or PortalBranding()
    obj.primary_color = color
    obj.text_color = text_color_for(color) if color else ""
    obj.save()
    activity_record(
        actor=actor, kind=ActivityKind.SETTINGS, obj=obj, code="portal.branding_changed", params={"color": color or "-"}
    )
    return obj


def _rgb(color: str) -> str:
    return ", ".join(str(int(color[i : i + 2], 16)) for i in (1, 3, 5))


def branding_css(obj: PortalBranding) -> str:
    """The stylesheet of the company's colour ("" without one: the kit's own colours)."""
    color = obj.primary_color
    if not color or not HEX_RE.match(color):
        return ""
    text = obj.text_color or text_color_for(color)
    lines = [
        "body.portal {",
        f"  --portal-primary: {color};",
        f"  --portal-on-primary: {text};",
        f"  --bs-primary: {color};",
        f"  --bs-primary-rgb: {_rgb(color)};",
    ]
    if contrast(color, WHITE) >= READABLE:
        lines += [f"  --bs-link-color: {color};", f"  --bs-link-color-rgb: {_rgb(color)};"]
    lines += [
        "}",
        "body.portal .portal-navbar { background-color: var(--portal-primary) !important; }",
        "body.portal .portal-navbar .navbar-brand, body.portal .portal-navbar .nav-link,"
        " body.portal .portal-navbar .btn-link { color: var(--portal-on-primary) !important; }",
        "body.portal .btn-primary { --bs-btn-bg: var(--portal-primary); --bs-btn-border-color: var(--portal-primary);"
        " --bs-btn-color: var(--portal-on-primary); --bs-btn-hover-bg: var(--portal-primary);"
        " --bs-btn-hover-border-color: var(--portal-primary); --bs-btn-hover-color: var(--portal-on-primary);"
        " --bs-btn-active-bg: var(--portal-primary); --bs-btn-active-color: var(--portal-on-primary); }",
    ]
    if text == WHITE:
        lines.append("body.portal .portal-navbar .navbar-toggler-icon { filter: invert(1); }")
    lines.append("")
    return "\n".join(lines)
