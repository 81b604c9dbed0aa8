"""What offers add to other cards: the "Oferty" tab of the customer card and the offers
block of the deal card (with "Utwórz ofertę" prefilled from the deal). Registered in
`OffersConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.offers.selectors import offers_visible_to

TAB_LIST_LIMIT = 100


def _customer_offers(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    offers = offers_visible_to(request.user).filter(customer=customer).select_related("deal", "owner")
    return {
        "offers": list(offers.order_by("-issue_date", "-id")[:TAB_LIST_LIMIT]),
        "create_query": f"customer={customer.pk}",
    }


def _deal_offers(request: AuthedRequest, deal: Any) -> dict[str, Any]:
    offers = offers_visible_to(request.user).filter(deal=deal).select_related("owner")
    return {"offers": list(offers.order_by("-issue_date", "-id")[:TAB_LIST_LIMIT]), "create_query": f"deal={deal.pk}"}


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="offers",
            label=_("Oferty"),
            template="offers/customer_tab.html",
            context=_customer_offers,
            place="tab",
            order=35,
        )
    )
    card_section_register(
        CardSection(
            host="deal",
            key="offers",
            label=_("Oferty"),
            template="offers/deal_section.html",
            context=_deal_offers,
            place="main",
            order=20,
        )
    )
