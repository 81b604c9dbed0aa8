"""The payments block on the invoice card (registered in `InvoicingConfig.ready`): the
invoice card (crm/invoicing views of the invoices side) draws it with
`card_sections_render(request, "invoice", invoice, places=("main", "side"))`; the same block
is the page /invoices/<pk>/payments/. And the recurring block beside it (/invoices/<pk>/recurring/)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from crm.invoicing.views_payments import payments_section_context
from crm.invoicing.views_recurring import recurring_section_context


def _context(request: AuthedRequest, invoice: Invoice) -> dict[str, Any]:
    return payments_section_context(request, invoice)


def _shown(invoice: Invoice) -> bool:
    return invoice.status not in (InvoiceStatus.DRAFT,)


def _recurring_context(request: AuthedRequest, invoice: Invoice) -> dict[str, Any]:
    return recurring_section_context(request, invoice)


def payments_cards_register() -> None:
    card_section_register(
        CardSection(
            host="invoice",
            key="payments",
            label=_("Płatności"),
            template="invoicing/payments/_section.html",
            context=_context,
            place="main",
            order=50,
            available=_shown,
        )
    )
    card_section_register(
        CardSection(
            host="invoice",
            key="recurring",
            label=_("Faktura cykliczna"),
            template="invoicing/payments/_recurring_section.html",
            context=_recurring_context,
            place="side",
            order=50,
            available=lambda invoice: invoice.kind == InvoiceKind.VAT,
        )
    )
