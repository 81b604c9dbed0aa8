"""The Settings menu: each app registers its Settings pages here (in its AppConfig.ready),
and every Settings page extends `common/settings_page.html`, which draws the menu. A new
module adds a Settings page without editing the Settings app."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class SettingsPage:
    url_name: str  # namespaced URL name, e.g. "crmsettings:users"
    label: str | Promise
    icon: str  # a Bootstrap Icons name, without "bi-"
    order: int  # place in the menu, smallest first


_PAGES: dict[str, SettingsPage] = {}


def settings_page_register(*, url_name: str, label: str | Promise, icon: str, order: int) -> None:
    """Adds (or replaces) a page of the Settings menu."""
    _PAGES[url_name] = SettingsPage(url_name=url_name, label=label, icon=icon, order=order)


def settings_pages() -> list[SettingsPage]:
    return sorted(_PAGES.values(), key=lambda page: (page.order, page.url_name))
