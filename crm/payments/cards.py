"""The "Płatność kartą" block on the invoice card (registered in `PaymentsConfig.ready`):
shown when the company's gateway is configured or a card payment went through for the
invoice; Szef and Kierownik get the "Kopiuj link do płatności" button."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.invoicing.models import Invoice, InvoiceStatus
from crm.invoicing.visibility import may_manage_money
from crm.payments.models import CardCheckout, CheckoutStatus
from crm.payments.services import gateway_configured, invoice_pay_available


def _context(request: AuthedRequest, invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice": invoice,
        "pay_available": invoice_pay_available(invoice),
        "can_manage": may_manage_money(request.user),
        "card_checkouts": list(
            CardCheckout.objects.filter(
                invoice=invoice, status__in=(CheckoutStatus.PAID, CheckoutStatus.PROBLEM)
            ).order_by("-paid_at", "-id")[:10]
        ),
    }


def _shown(invoice: Invoice) -> bool:
    if invoice.status == InvoiceStatus.DRAFT:
        return False
    return gateway_configured() or CardCheckout.objects.filter(invoice=invoice).exists()


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="invoice",
            key="card_payment",
            label=_("Płatność kartą"),
            template="payments/_invoice_section.html",
            context=_context,
            place="side",
            order=60,
            available=_shown,
        )
    )
