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
    group: str = ""  # the key of a NavGroup: shown in that group's drop-down


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str | Promise
    icon: str


# Sixteen places do not fit one line at 1280 px: related ones share a drop-down, the way
# Pipedrive and Perfex group theirs; the daily places stay one click away.
NAV_GROUPS = {
    g.key: g
    for g in (
        NavGroup("sales", _("Sprzedaż"), "graph-up-arrow"),
        NavGroup("money", _("Finanse"), "receipt"),
        NavGroup("work", _("Projekty"), "kanban"),
        NavGroup("service", _("Obsługa"), "life-preserver"),
    )
}

NAV_ENTRIES = [
    NavEntry("dashboard:home", _("Pulpit"), "speedometer2"),
    NavEntry("contacts:customer_list", _("Klienci"), "people"),
    NavEntry("tasks:task_list", _("Zadania"), "check2-square"),
    NavEntry("leads:lead_list", _("Leady"), "person-plus", group="sales"),
    NavEntry("sales:pipeline", _("Lejek sprzedaży"), "kanban", group="sales"),
    NavEntry("offers:offer_list", _("Oferty"), "file-earmark-text", group="sales"),
    NavEntry("contracts:contract_list", _("Umowy"), "journal-text", group="sales"),
    NavEntry("catalog:product_list", _("Produkty"), "box-seam", group="sales"),
    NavEntry("invoicing:invoice_list", _("Faktury"), "receipt", group="money"),
    NavEntry("payments:unpaid", _("Niezapłacone"), "hourglass-split", group="money"),
    NavEntry("expenses:expense_list", _("Wydatki"), "wallet2", group="money"),
    NavEntry("projects:project_list", _("Projekty"), "kanban", group="work"),
    NavEntry("timetracking:timesheet", _("Czas pracy"), "stopwatch", group="work"),
    NavEntry("tickets:ticket_list", _("Zgłoszenia"), "life-preserver", group="service"),
    NavEntry("kb:article_list", _("Wiedza"), "journal-text", group="service"),
    NavEntry("dashboard:reports", _("Raporty"), "bar-chart"),
    NavEntry("crmsettings:index", _("Ustawienia"), "gear", szef_only=True),
]


def nav(request: HttpRequest) -> dict[str, Any]:
    """`nav_items`: links ({url, label, icon, active}) and groups ({group, label, icon,
    active, children}) in menu order; a group sits where its first entry is."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request_company(request) is None:
        return {"nav_items": []}
    items: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for entry in NAV_ENTRIES:
        if entry.szef_only and getattr(user, "role", None) != "szef":
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        link = {"url": url, "label": entry.label, "icon": entry.icon, "active": active}
        if not entry.group:
            items.append(link)
            continue
        group = groups.get(entry.group)
        if group is None:
            kind = NAV_GROUPS[entry.group]
            group = {"group": kind.key, "label": kind.label, "icon": kind.icon, "active": False, "children": []}
            groups[entry.group] = group
            items.append(group)
        group["children"].append(link)
        group["active"] = group["active"] or active
    return {"nav_items": items}
