"""Template helpers of the payments pages: amounts with their currency, status badges."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()

STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "issued": "text-bg-primary",
    "partially_paid": "text-bg-warning",
    "paid": "text-bg-success",
    "overdue": "text-bg-danger",
    "cancelled": "text-bg-dark",
}


@register.filter
def money_of(value: Decimal | int | None, currency: str = "PLN") -> str:
    """1230.5|money_of:"PLN" -> "1 230,50 PLN" (the active language's format)."""
    if value is None or value == "":
        return "—"
    return f"{number_format(value, 2, force_grouping=True)} {currency}"


@register.filter
def status_badge(status: Any) -> str:
    return STATUS_BADGES.get(str(status), "text-bg-light")
