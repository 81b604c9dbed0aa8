"""The default personalisation every new company starts with: distinct colours, names in
the language of the signup (Polish msgids, translated when the company is created)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from crm.categories.models import (
    ColourCategory,
    ContactGroup,
    ContactSource,
    CustomerStatus,
    CustomerStatusCode,
    CustomerType,
    DealCategory,
    DealStage,
    DealStatus,
    DealStatusCode,
    LossReason,
    Pipeline,
    TaskCategory,
    TaskCategoryCode,
    WinReason,
)

if TYPE_CHECKING:
    from crm.accounts.models import User
    from tenants.models import Company

DEFAULT_PIPELINE_NAME = _("Sprzedaż")

DEFAULTS: dict[type[ColourCategory], list[dict[str, Any]]] = {
    ContactGroup: [
        {"name": _("Klient Złoty"), "color": "#d4a017"},
        {"name": _("Klient VIP"), "color": "#8e44ad"},
        {"name": _("Ważny klient"), "color": "#c0392b"},
    ],
    ContactSource: [
        {"name": _("Polecenie"), "color": "#27ae60"},
        {"name": _("Strona internetowa"), "color": "#2980b9"},
        {"name": _("Targi"), "color": "#e67e22"},
        {"name": _("Telefon"), "color": "#16a085"},
        {"name": _("Media społecznościowe"), "color": "#e84393"},
    ],
    CustomerStatus: [
        {"name": _("Nowy"), "color": "#3498db", "code": CustomerStatusCode.NEW, "locked": True},
        {"name": _("Bieżący"), "color": "#2ecc71", "code": CustomerStatusCode.CURRENT, "locked": True},
        {"name": _("Formalny"), "color": "#1e8449", "code": CustomerStatusCode.FORMAL, "locked": True},
        {"name": _("Do kontaktu"), "color": "#f39c12", "code": CustomerStatusCode.FOLLOW_UP, "locked": True},
        {"name": _("Nieaktywny"), "color": "#95a5a6"},
    ],
    CustomerType: [
        {"name": _("Klient"), "color": "#2457c5"},
        {"name": _("Partner"), "color": "#9b59b6"},
        {"name": _("Dostawca"), "color": "#d35400"},
        {"name": _("Konkurencja"), "color": "#7f8c8d"},
    ],
    TaskCategory: [
        {"name": _("Telefon"), "color": "#1abc9c", "code": TaskCategoryCode.CALL},
        {"name": _("Spotkanie"), "color": "#3498db", "code": TaskCategoryCode.MEETING},
        {"name": _("E-mail"), "color": "#9b59b6"},
        {"name": _("Oferta"), "color": "#e67e22"},
        {"name": _("Inne"), "color": "#95a5a6"},
    ],
    DealCategory: [
        {"name": _("Produkty"), "color": "#2980b9"},
        {"name": _("Usługi"), "color": "#27ae60"},
        {"name": _("Abonament"), "color": "#8e44ad"},
    ],
    DealStatus: [
        {"name": _("W toku"), "color": "#3498db", "code": DealStatusCode.IN_PROGRESS, "locked": True},
        {"name": _("Wygrane"), "color": "#27ae60", "code": DealStatusCode.WON, "locked": True},
        {"name": _("Odroczone"), "color": "#f1c40f", "code": DealStatusCode.POSTPONED, "locked": True},
        {"name": _("Przegrane"), "color": "#c0392b", "code": DealStatusCode.LOST, "locked": True},
    ],
    DealStage: [
        {"name": _("Pierwszy kontakt"), "probability": 10, "color": "#85c1e9"},
        {"name": _("Analiza potrzeb"), "probability": 25, "color": "#5dade2"},
        {"name": _("Oferta"), "probability": 50, "color": "#3498db"},
        {"name": _("Negocjacje"), "probability": 75, "color": "#2e86c1"},
        {"name": _("Finalizacja"), "probability": 90, "color": "#1b4f72"},
    ],
    WinReason: [
        {"name": _("Cena"), "color": "#27ae60"},
        {"name": _("Jakość"), "color": "#2ecc71"},
        {"name": _("Relacja z klientem"), "color": "#16a085"},
        {"name": _("Termin realizacji"), "color": "#1abc9c"},
    ],
    LossReason: [
        {"name": _("Za wysoka cena"), "color": "#c0392b"},
        {"name": _("Wybrali konkurencję"), "color": "#e74c3c"},
        {"name": _("Brak budżetu"), "color": "#d35400"},
        {"name": _("Brak odpowiedzi"), "color": "#7f8c8d"},
    ],
}


def categories_defaults_create(*, language: str = "pl") -> None:
    """Create the default set in the active company schema, named in `language`
    (idempotent by name)."""
    if language not in dict(settings.LANGUAGES):
        language = "pl"
    with translation.override(language):
        pipeline = Pipeline.objects.filter(is_default=True).first()
        if pipeline is None:
            pipeline = Pipeline.objects.create(name=str(DEFAULT_PIPELINE_NAME), position=1, is_default=True)
        for model, rows in DEFAULTS.items():
            # stage names repeat across pipelines: the default one's count
            current = DealStage.objects.filter(pipeline=pipeline) if model is DealStage else model._default_manager
            existing = {name.lower() for name in current.values_list("name", flat=True)}
            named = [{**row, "name": str(row["name"])} for row in rows]
            if model is DealStage:
                named = [{**row, "pipeline": pipeline} for row in named]
            model._default_manager.bulk_create(
                [
                    model(position=i, **row)
                    for i, row in enumerate(named, start=1)
                    if row["name"].lower() not in existing
                ]
            )


def categories_setup_step(*, company: Company, owner: User | None) -> None:
    """A signup in English gets English names: the owner's language is the signup's."""
    categories_defaults_create(language=getattr(owner, "language", "") or "pl")
