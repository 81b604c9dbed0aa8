"""Invoices made from other documents: a pro-forma's VAT invoice, an accepted offer's invoice.

Both make a VAT draft carrying the source's buyer, lines and currency, linked to it; the
draft is then issued like any other (a pro-forma itself never goes to KSeF). Each source
gives one invoice: asking again answers the invoice made before.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.records import record_event
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from crm.invoicing.services.common import InvoiceStateError, LineData, invoice_lines
from crm.invoicing.services.drafts import invoice_create
from crm.offers.models import Offer, OfferStatus

ACTIVE = (
    InvoiceStatus.DRAFT,
    InvoiceStatus.ISSUED,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
    InvoiceStatus.OVERDUE,
)


@transaction.atomic
def invoice_proforma_convert(*, proforma: Invoice, actor: User | None) -> Invoice:
    """The VAT draft of an issued pro-forma (its lines, buyer, currency, payment terms)."""
    proforma = Invoice.objects.select_for_update(of=("self",)).select_related("customer").get(pk=proforma.pk)
    if proforma.kind != InvoiceKind.PROFORMA or proforma.status == InvoiceStatus.DRAFT:
        raise InvoiceStateError(_("Na fakturę VAT zamienia się wystawioną fakturę pro forma."))
    existing = proforma.converted_to.filter(status__in=ACTIVE).order_by("id").first()
    if existing is not None:
        return existing
    invoice = invoice_create(
        actor=actor,
        customer=proforma.customer,
        lines=[LineData.of(line) for line in invoice_lines(proforma)],
        kind=InvoiceKind.VAT,
        sale_date=proforma.sale_date,
        due_date=None,
        payment_method=proforma.payment_method,
        currency=proforma.currency,
        exchange_rate=None,
        place_of_issue=proforma.place_of_issue,
        exemption_basis=proforma.exemption_basis,
        split_payment=proforma.split_payment,
        notes=proforma.notes,
        deal=proforma.deal,
        offer=proforma.offer,
        from_proforma=proforma,
    )
    activity_record(
        actor=actor,
        kind=ActivityKind.CREATE,
        obj=invoice,
        code="invoice.from_proforma",
        params={"number": proforma.number},
    )
    return invoice


@transaction.atomic
def invoice_from_offer(*, offer: Offer, actor: User | None) -> Invoice:
    """The VAT draft of an accepted offer: its customer, deal, lines and currency."""
    offer = Offer.objects.select_for_update(of=("self",)).select_related("customer").get(pk=offer.pk)
    if offer.status != OfferStatus.ACCEPTED:
        raise InvoiceStateError(_("Fakturę wystawia się z zaakceptowanej oferty."))
    existing = offer.invoices.filter(status__in=ACTIVE).order_by("id").first()
    if existing is not None:
        return existing
    lines = [
        LineData(
            name=line.name,
            net_price=line.net_price,
            quantity=line.quantity,
            unit=line.unit,
            vat_rate=line.vat_rate,
            discount_percent=line.discount_percent,
            product=line.product,
            gtu=line.gtu,
            pkwiu=line.pkwiu,
        )
        for line in offer.lines.all()
    ]
    invoice = invoice_create(
        actor=actor,
        customer=offer.customer,
        lines=lines,
        kind=InvoiceKind.VAT,
        currency=offer.currency,
        deal=offer.deal if offer.deal is not None and offer.deal.customer_id == offer.customer_id else None,
        offer=offer,
    )
    activity_record(
        actor=actor,
        kind=ActivityKind.CREATE,
        obj=invoice,
        code="invoice.from_offer",
        params={"number": offer.number or str(offer.pk)},
    )
    record_event(
        obj=invoice,
        actor=actor,
        kind="invoice_from_offer",
        message=_("Z oferty %(number)s przygotowano fakturę.") % {"number": offer.number or offer.pk},
        code="invoice.from_offer",
        params={"number": offer.number or str(offer.pk)},
    )
    return invoice
