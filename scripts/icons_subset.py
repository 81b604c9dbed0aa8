"""Bootstrap Icons cut down to the icons the product uses.

The full font holds ~2,000 icons (134 KiB of WOFF2, over half of a cold page load)
for about 70 in use. This script finds every icon class the code names (`bi-NAME` in
templates, JavaScript and Python, plus the icon names of the menu and the Settings
registry), writes `static/vendor/bootstrap-icons/fonts/bootstrap-icons-subset.woff2`
with only those glyphs (fontTools' subsetter) and `bootstrap-icons-subset.css` with only
their classes. Both are committed; tests/test_icons.py fails when an icon in use is
missing from them. Run after using a new icon:

    .venv/bin/python scripts/icons_subset.py
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "static" / "vendor" / "bootstrap-icons"
FULL_CSS = VENDOR / "bootstrap-icons.min.css"
FULL_FONT = VENDOR / "fonts" / "bootstrap-icons.woff2"
SUBSET_CSS = VENDOR / "bootstrap-icons-subset.css"
SUBSET_FONT = VENDOR / "fonts" / "bootstrap-icons-subset.woff2"
SOURCES = ("crm", "templates", "public_site", "billing_saas", "tenants", "config", "static/js")
_USE = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")
_RULE = re.compile(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}')

HEADER = """/* Bootstrap Icons v1.13.2 (MIT, https://icons.getbootstrap.com/): only the icons ImCRM
   uses, made by scripts/icons_subset.py from bootstrap-icons.min.css. Do not edit. */
"""
# Each icon box is 1em wide whether or not the font has arrived: no layout shift when it
# does. `block` keeps the fallback's tofu box from flashing; the font is preloaded (no
# query string: the manifest storage names files by content, and the preload URL must match).
BASE = (
    '@font-face{font-display:block;font-family:bootstrap-icons;src:url("fonts/bootstrap-icons-subset.woff2")'
    ' format("woff2")}'
    '.bi::before,[class*=" bi-"]::before,[class^=bi-]::before{display:inline-block;width:1em;'
    "font-family:bootstrap-icons!important;font-style:normal;font-weight:400!important;font-variant:normal;"
    "text-transform:none;line-height:1;vertical-align:-.125em;-webkit-font-smoothing:antialiased;"
    "-moz-osx-font-smoothing:grayscale}\n"
)


def icon_codes() -> dict[str, str]:
    """Every icon of the full set: name -> code point (hex)."""
    return dict(_RULE.findall(FULL_CSS.read_text(encoding="utf-8")))


def icons_used() -> set[str]:
    """Icon names the product shows: literal `bi-NAME` anywhere in the code, and the
    names given to the main menu and to the Settings registry (rendered as bi-{{ icon }})."""
    known = icon_codes()
    names: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".html", ".js", ".py") and path.is_file():
                names.update(_USE.findall(path.read_text(encoding="utf-8", errors="replace")))
    names.update(_registered_icons())
    return {name for name in names if name in known}


def _registered_icons() -> set[str]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from crm.common.settings_pages import settings_pages
    from crm.navigation import NAV_ENTRIES, NAV_GROUPS

    menu = {entry.icon for entry in NAV_ENTRIES} | {group.icon for group in NAV_GROUPS.values()}
    return menu | {page.icon for page in settings_pages()}


def subset_css(names: set[str]) -> str:
    codes = icon_codes()
    rules = "".join(f'.bi-{name}::before{{content:"\\{codes[name]}"}}' for name in sorted(names))
    return HEADER + BASE + rules + "\n"


def build() -> set[str]:
    from fontTools import subset

    names = icons_used()
    codes = icon_codes()
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]
    font = subset.load_font(str(FULL_FONT), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[int(codes[name], 16) for name in names])
    subsetter.subset(font)
    subset.save_font(font, str(SUBSET_FONT), options)
    SUBSET_CSS.write_text(subset_css(names), encoding="utf-8")
    return names


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import logging

    logging.disable(logging.INFO)
    used = build()
    print(f"{len(used)} icons, {SUBSET_FONT.stat().st_size} bytes: {SUBSET_FONT.relative_to(ROOT)}")
