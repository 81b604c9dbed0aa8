"""Template helpers of the sales pages: money amounts."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value: Decimal | int | None, currency: str = "PLN") -> str:
    """12500 -> "12 500,00 PLN" (separators of the active language)."""
    if value is None:
        return ""
    return f"{number_format(value, 2, force_grouping=True)} {currency}"


@register.filter
def money_totals(totals: list[tuple[str, Decimal]]) -> str:
    """[("PLN", 1000), ("EUR", 20)] -> "1 000,00 PLN · 20,00 EUR"."""
    if not totals:
        return money(Decimal("0"))
    return " · ".join(money(total, currency) for currency, total in totals)
