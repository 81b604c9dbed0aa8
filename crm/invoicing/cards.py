"""The "Faktury" tab of the customer card (registered in `InvoicingConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.invoicing.access import invoices_visible_to

TAB_LIST_LIMIT = 100


def _customer_invoices(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    invoices = invoices_visible_to(request.user).filter(customer=customer).select_related("corrects")
    return {"invoices": list(invoices.order_by("-issue_date", "-id")[:TAB_LIST_LIMIT])}


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="invoices",
            label=_("Faktury"),
            template="invoicing/customer_tab.html",
            context=_customer_invoices,
            place="tab",
            order=60,
        )
    )
