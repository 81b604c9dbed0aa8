"""The home page widgets and which of them each rank sees, in which order.

Szef changes the layout in Settings > Home page (`HomepageLayout`, one row per
rank); a rank without a row sees `DEFAULT_LAYOUTS`, so a new company starts with a
sensible home page without any setup.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import Role


@dataclass(frozen=True)
class Widget:
    key: str
    label: str | Promise
    description: str | Promise
    size: str = "m"  # s: a third of the row, m: half, l: the full row (large screens)

    @property
    def template_name(self) -> str:
        """Every chart shares one template (a chart and its data table); other widgets have their own."""
        return "dashboard/widgets/chart.html" if self.key.startswith("chart_") else f"dashboard/widgets/{self.key}.html"

    @property
    def col_class(self) -> str:
        return {"s": "col-12 col-md-6 col-xl-4", "m": "col-12 col-lg-6", "l": "col-12"}[self.size]


WIDGETS: dict[str, Widget] = {
    w.key: w
    for w in (
        Widget("customers", _("Podsumowanie klientów"), _("Bieżący, formalni, nowi i do kontaktu (3/7/30 dni)"), "s"),
        Widget("contracts", _("Podsumowanie umów"), _("Liczba i wartość nowych umów (3/7/30 dni)"), "s"),
        Widget("won_deals", _("Wygrane szanse"), _("Liczba i wartość szans sprzedaży wygranych w okresie"), "s"),
        Widget("opportunities", _("Nowe szanse"), _("Liczba i wartość nowych otwartych szans"), "s"),
        Widget("invoices", _("Faktury"), _("Wystawione, zapłacone i po terminie (3/7/30 dni)"), "s"),
        Widget("calendar", _("Mój kalendarz"), _("Zadania i spotkania w tym tygodniu, szybkie dodawanie"), "l"),
        Widget(
            "followups", _("Przypomnienia o kontakcie"), _("Klienci bez kontaktu od dziś, 3 dni, tygodnia, miesiąca")
        ),
        Widget("chart_customers_status", _("Klienci wg statusu"), _("Wykres w kolorach statusów")),
        Widget("chart_customers_month", _("Klienci wg miesiąca utworzenia"), _("Wykres z ostatnich 12 miesięcy")),
        Widget(
            "chart_contracts_by_year",
            _("Wartość umów wg roku rozpoczęcia"),
            _("Wykres wartości umów z ostatnich 5 lat"),
        ),
        Widget(
            "chart_won_by_year",
            _("Wartość wygranych szans wg roku"),
            _("Wykres wartości wygranych szans z ostatnich 5 lat"),
        ),
        Widget("chart_customers_type", _("Klienci wg typu"), _("Wykres w kolorach typów")),
        Widget("team", _("Twój zespół"), _("Lista pracowników firmy i ich rang")),
    )
}

_ALL = list(WIDGETS)
DEFAULT_LAYOUTS: dict[str, list[str]] = {
    Role.SZEF: _ALL,
    Role.KIEROWNIK: [k for k in _ALL if k != "team"],
    Role.PRACOWNIK: [
        "customers",
        "contracts",
        "won_deals",
        "opportunities",
        "calendar",
        "followups",
        "chart_customers_status",
    ],
}


def widgets_clean(keys: list[str]) -> list[str]:
    """Known keys only, each once, in the given order."""
    seen: list[str] = []
    for key in keys:
        if key in WIDGETS and key not in seen:
            seen.append(key)
    return seen
