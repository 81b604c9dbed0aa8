"""The "E-maile" tab of the customer card (registered in `EmailsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.emails.selectors import emails_visible_to

TAB_LIST_LIMIT = 100


def _customer_emails(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    emails = emails_visible_to(request.user).filter(customer=customer).select_related("sender")
    return {"emails": list(emails.order_by("-created_at", "-id")[:TAB_LIST_LIMIT])}


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="emails",
            label=_("E-maile"),
            template="emails/customer_tab.html",
            context=_customer_emails,
            place="tab",
            order=36,
        )
    )
