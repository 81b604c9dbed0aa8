"""The deals tab of the customer card (registered in `SalesConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.sales.selectors import deals_visible_to

TAB_LIST_LIMIT = 100


def _customer_deals(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    deals = deals_visible_to(request.user).filter(customer=customer)
    related = deals.select_related("status", "stage", "category", "owner")
    return {"deals": list(related.order_by("-created_at", "-id")[:TAB_LIST_LIMIT])}


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="sales",
            label=_("Sprzedaż"),
            template="sales/customer_tab.html",
            context=_customer_deals,
            place="tab",
            order=30,
        )
    )
