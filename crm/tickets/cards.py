"""What tickets add to other cards: the "Zgłoszenia" tab of the customer card.
Registered in `TicketsConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.tickets.selectors import tickets_visible_to

TAB_LIST_LIMIT = 100


def _customer_tickets(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    tickets = (
        tickets_visible_to(request.user)
        .filter(customer=customer)
        .select_related("status", "priority", "department", "assignee")
    )
    return {
        "tickets": list(tickets.order_by("-created_at", "-id")[:TAB_LIST_LIMIT]),
        "create_query": f"customer={customer.pk}",
    }


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="tickets",
            label=_("Zgłoszenia"),
            template="tickets/customer_tab.html",
            context=_customer_tickets,
            place="tab",
            order=38,
        )
    )
