"""Reads for the public pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps


@dataclass(frozen=True)
class PricePlan:
    name: str
    monthly: Decimal
    yearly: Decimal
    seats: int | None  # None: no limit
    customers: int | None
    in_trial: bool  # the plan whose limits a company has during its free trial


def price_plans() -> list[PricePlan]:
    """Active plans of the billing app (`billing_saas.Plan`) for the landing page's
    price list, in the billing app's order; empty when there are none (or no
    billing app), and the page then shows the free-trial text instead."""
    try:
        plan_model = apps.get_model("billing_saas", "Plan")
    except LookupError:
        return []
    plans = plan_model._default_manager.filter(is_active=True).order_by("sort_order", "price_monthly", "pk")
    return [
        PricePlan(
            name=plan.name,
            monthly=plan.price_monthly,
            yearly=plan.price_yearly,
            seats=plan.seat_limit,
            customers=plan.customer_limit,
            in_trial=bool(getattr(plan, "is_trial_default", False)),
        )
        for plan in plans
    ]
