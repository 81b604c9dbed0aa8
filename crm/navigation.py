"""Main menu of a company host. An entry whose URL does not exist yet is skipped;
`szef_only` entries are not shown to other ranks (their views answer 403 too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants.context import request_company


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    icon: str
    szef_only: bool = False


NAV_ENTRIES = [
    NavEntry("dashboard:home", _("Pulpit"), "speedometer2"),
    NavEntry("contacts:customer_list", _("Klienci"), "people"),
    NavEntry("tasks:task_list", _("Zadania"), "check2-square"),
    NavEntry("sales:pipeline", _("Sprzedaż"), "kanban"),
    NavEntry("dashboard:reports", _("Raporty"), "bar-chart"),
    NavEntry("crmsettings:index", _("Ustawienia"), "gear", szef_only=True),
]


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request_company(request) is None:
        return {"nav_items": []}
    items = []
    for entry in NAV_ENTRIES:
        if entry.szef_only and getattr(user, "role", None) != "szef":
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": entry.label, "icon": entry.icon, "active": active})
    return {"nav_items": items}
