from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tenants.context import request_company

_ENTRIES = [
    ("public_site:landing", _("Produkt")),
    ("billing_saas:pricing", _("Cennik")),
    ("public_site:contact", _("Kontakt")),
    ("public_site:signin", _("Zaloguj się")),
    ("public_site:signup", _("Załóż konto")),
]


def public_nav(request: HttpRequest) -> dict[str, Any]:
    if request_company(request) is not None:
        return {"public_nav_items": []}
    items = []
    for name, label in _ENTRIES:
        try:
            items.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue
    return {"public_nav_items": items}
