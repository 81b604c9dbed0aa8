from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

SETTINGS_MENU = [
    ("crmsettings:index", _("Przegląd"), "grid"),
    ("crmsettings:users", _("Użytkownicy"), "people"),
    ("crmsettings:contacts", _("Kontakty"), "person-lines-fill"),
    ("crmsettings:tasks", _("Zadania"), "check2-square"),
    ("crmsettings:sales", _("Sprzedaż"), "kanban"),
    ("crmsettings:company", _("Firma"), "building"),
    ("crmsettings:email", _("E-mail"), "envelope"),
    ("crmsettings:security", _("Bezpieczeństwo"), "shield-lock"),
    ("crmsettings:activity", _("Dziennik aktywności"), "clock-history"),
    ("dashboard_settings:homepage", _("Strona główna"), "house"),
    ("billing_saas:billing", _("Płatności"), "credit-card"),
]


def settings_render(
    request: HttpRequest, template: str, context: dict[str, Any], *, active: str, status: int = 200
) -> HttpResponse:
    context = {**context, "settings_menu": SETTINGS_MENU, "settings_active": active}
    return render(request, template, context, status=status)
