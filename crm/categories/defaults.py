"""The default personalisation every new company starts with (Polish names, distinct colours)."""

from __future__ import annotations

from typing import Any

from crm.accounts.models import User
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
    TaskCategory,
    TaskCategoryCode,
    WinReason,
)
from tenants.models import Company

DEFAULTS: dict[type[ColourCategory], list[dict[str, Any]]] = {
    ContactGroup: [
        {"name": "Klient Złoty", "color": "#d4a017"},
        {"name": "Klient VIP", "color": "#8e44ad"},
        {"name": "Ważny klient", "color": "#c0392b"},
    ],
    ContactSource: [
        {"name": "Polecenie", "color": "#27ae60"},
        {"name": "Strona internetowa", "color": "#2980b9"},
        {"name": "Targi", "color": "#e67e22"},
        {"name": "Telefon", "color": "#16a085"},
        {"name": "Media społecznościowe", "color": "#e84393"},
    ],
    CustomerStatus: [
        {"name": "Nowy", "color": "#3498db", "code": CustomerStatusCode.NEW, "locked": True},
        {"name": "Bieżący", "color": "#2ecc71", "code": CustomerStatusCode.CURRENT, "locked": True},
        {"name": "Formalny", "color": "#1e8449", "code": CustomerStatusCode.FORMAL, "locked": True},
        {"name": "Do kontaktu", "color": "#f39c12", "code": CustomerStatusCode.FOLLOW_UP, "locked": True},
        {"name": "Nieaktywny", "color": "#95a5a6"},
    ],
    CustomerType: [
        {"name": "Klient", "color": "#2457c5"},
        {"name": "Partner", "color": "#9b59b6"},
        {"name": "Dostawca", "color": "#d35400"},
        {"name": "Konkurencja", "color": "#7f8c8d"},
    ],
    TaskCategory: [
        {"name": "Telefon", "color": "#1abc9c", "code": TaskCategoryCode.CALL},
        {"name": "Spotkanie", "color": "#3498db", "code": TaskCategoryCode.MEETING},
        {"name": "E-mail", "color": "#9b59b6"},
        {"name": "Oferta", "color": "#e67e22"},
        {"name": "Inne", "color": "#95a5a6"},
    ],
    DealCategory: [
        {"name": "Produkty", "color": "#2980b9"},
        {"name": "Usługi", "color": "#27ae60"},
        {"name": "Abonament", "color": "#8e44ad"},
    ],
    DealStatus: [
        {"name": "W toku", "color": "#3498db", "code": DealStatusCode.IN_PROGRESS, "locked": True},
        {"name": "Wygrane", "color": "#27ae60", "code": DealStatusCode.WON, "locked": True},
        {"name": "Odroczone", "color": "#f1c40f", "code": DealStatusCode.POSTPONED, "locked": True},
        {"name": "Przegrane", "color": "#c0392b", "code": DealStatusCode.LOST, "locked": True},
    ],
    DealStage: [
        {"name": "Pierwszy kontakt", "color": "#85c1e9"},
        {"name": "Analiza potrzeb", "color": "#5dade2"},
        {"name": "Oferta", "color": "#3498db"},
        {"name": "Negocjacje", "color": "#2e86c1"},
        {"name": "Finalizacja", "color": "#1b4f72"},
    ],
    WinReason: [
        {"name": "Cena", "color": "#27ae60"},
        {"name": "Jakość", "color": "#2ecc71"},
        {"name": "Relacja z klientem", "color": "#16a085"},
        {"name": "Termin realizacji", "color": "#1abc9c"},
    ],
    LossReason: [
        {"name": "Za wysoka cena", "color": "#c0392b"},
        {"name": "Wybrali konkurencję", "color": "#e74c3c"},
        {"name": "Brak budżetu", "color": "#d35400"},
        {"name": "Brak odpowiedzi", "color": "#7f8c8d"},
    ],
}


def categories_defaults_create() -> None:
    """Create the default set in the active company schema (idempotent by name)."""
    for model, rows in DEFAULTS.items():
        existing = {name.lower() for name in model._default_manager.values_list("name", flat=True)}
        model._default_manager.bulk_create(
            [model(position=i, **row) for i, row in enumerate(rows, start=1) if row["name"].lower() not in existing]
        )


def categories_setup_step(*, company: Company, owner: User) -> None:
    categories_defaults_create()
