"""What contracts add to other cards: the "Umowy" tab of the customer card and the
contracts block of the deal card. Registered in `ContractsConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.contracts.selectors import contracts_visible_to

TAB_LIST_LIMIT = 100


def _customer_contracts(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    contracts = contracts_visible_to(request.user).filter(customer=customer).select_related("deal", "owner", "type")
    return {
        "contracts": list(contracts.order_by("-start_date", "-id")[:TAB_LIST_LIMIT]),
        "create_query": f"customer={customer.pk}",
    }


def _deal_contracts(request: AuthedRequest, deal: Any) -> dict[str, Any]:
    contracts = contracts_visible_to(request.user).filter(deal=deal).select_related("owner", "type")
    return {
        "contracts": list(contracts.order_by("-start_date", "-id")[:TAB_LIST_LIMIT]),
        "create_query": f"deal={deal.pk}",
    }


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="contracts",
            label=_("Umowy"),
            template="contracts/customer_tab.html",
            context=_customer_contracts,
            place="tab",
            order=37,
        )
    )
    card_section_register(
        CardSection(
            host="deal",
            key="contracts",
            label=_("Umowy"),
            template="contracts/deal_section.html",
            context=_deal_contracts,
            place="main",
            order=22,
        )
    )
