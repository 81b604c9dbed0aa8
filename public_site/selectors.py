"""Reads for the public pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import DatabaseError

# Field names the billing app may use; the first one a plan has wins.
_MONTHLY = ("price_monthly", "monthly_price", "price_month", "price")
_YEARLY = ("price_yearly", "yearly_price", "price_year", "annual_price")
_SEATS = ("seat_limit", "max_seats", "seats")
_CUSTOMERS = ("customer_limit", "max_customers", "customers")
_ACTIVE = ("is_active", "active")
_ORDER = ("sort_order", "position", "order")


@dataclass(frozen=True)
class PricePlan:
    name: str
    monthly: Decimal | None
    yearly: Decimal | None
    seats: int | None
    customers: int | None


def _first(obj: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def _field(model: Any, names: tuple[str, ...]) -> str | None:
    fields = {f.name for f in model._meta.get_fields()}
    return next((n for n in names if n in fields), None)


def price_plans() -> list[PricePlan]:
    """Active plans of the billing app for the landing page's price list, cheapest
    first; empty while billing has no plans (the page then shows the trial text)."""
    try:
        model = apps.get_model("billing_saas", "Plan")
    except LookupError:
        return []
    queryset = model._default_manager.all()
    active = _field(model, _ACTIVE)
    if active:
        queryset = queryset.filter(**{active: True})
    order = _field(model, _ORDER) or _field(model, _MONTHLY) or "pk"
    try:
        rows = list(queryset.order_by(order, "pk")[:6])
    except DatabaseError:  # billing tables not migrated yet
        return []
    return [
        PricePlan(
            name=str(_first(row, ("name",)) or ""),
            monthly=_first(row, _MONTHLY),
            yearly=_first(row, _YEARLY),
            seats=_first(row, _SEATS),
            customers=_first(row, _CUSTOMERS),
        )
        for row in rows
    ]
