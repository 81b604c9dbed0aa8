"""Pages load a cut-down icon font (scripts/icons_subset.py): every icon the code names
must be in it, or a person sees an empty box where the icon should be."""

from __future__ import annotations

import re

from django.test import Client
from fontTools.ttLib import TTFont

from scripts.icons_subset import SUBSET_CSS, SUBSET_FONT, icon_codes, icons_used


def test_every_icon_the_code_uses_is_in_the_subset_css_and_font() -> None:
    used = icons_used()
    css = SUBSET_CSS.read_text(encoding="utf-8")
    in_css = dict(re.findall(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}', css))
    cmap = TTFont(str(SUBSET_FONT)).getBestCmap()

    missing_css = sorted(used - in_css.keys())
    missing_glyph = sorted(name for name in used if int(icon_codes()[name], 16) not in cmap)
    hint = "run .venv/bin/python scripts/icons_subset.py"
    assert not missing_css, f"icons missing from {SUBSET_CSS.name} ({hint}): {missing_css}"
    assert not missing_glyph, f"icons missing from {SUBSET_FONT.name} ({hint}): {missing_glyph}"


def test_the_discovery_finds_icons_named_in_templates_and_in_the_menu() -> None:
    used = icons_used()
    assert {"people", "kanban", "speedometer2", "trash", "person-vcard", "credit-card"} <= used
    assert len(used) >= 50


def test_pages_load_the_subset_and_not_the_full_icon_font(public_client: Client) -> None:
    html = public_client.get("/").content.decode()
    assert "bootstrap-icons-subset" in html
    assert "bootstrap-icons.min.css" not in html
