"""Invoices, payments and recurring invoices at model level for the payments tests (call
inside the company schema). An invoice is issued unless told otherwise, with one 23% line
whose totals are computed as the invoice services compute them (crm.documents.totals):

    invoice = InvoiceFactory(lines=[("Usługa", "1000.00", "23")])   # 1 230,00 PLN gross
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from crm.documents.totals import LineIn, document_totals, line_net
from crm.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    RecurringInterval,
    RecurringInvoice,
)
from crm.invoicing.payments import corrections_total

Line = tuple[str, str, str] | tuple[str, str, str, str]  # name, net price, VAT rate[, quantity]


def lines_set(invoice: Invoice, lines: list[Line], *, before_correction: bool = False) -> None:
    """Replace the invoice's lines (or add the "before" lines of a correction) and its totals."""
    if not before_correction:
        invoice.lines.filter(before_correction=False).delete()
    for position, line in enumerate(lines, start=1):
        name, price, rate = line[0], Decimal(line[1]), line[2]
        quantity = Decimal(line[3]) if len(line) > 3 else Decimal(1)  # type: ignore[misc]
        InvoiceLine.objects.create(
            document=invoice,
            position=position,
            name=name,
            quantity=quantity,
            net_price=price,
            vat_rate=rate,
            net_value=line_net(LineIn(quantity=quantity, net_price=price, vat_rate=rate)),
            before_correction=before_correction,
        )
    after = document_totals(row.as_line_in() for row in invoice.lines.filter(before_correction=False))
    before = document_totals(row.as_line_in() for row in invoice.lines.filter(before_correction=True))
    invoice.net_total = after.net - before.net
    invoice.vat_total = after.vat - before.vat
    invoice.gross_total = after.gross - before.gross
    invoice.save(update_fields=["net_total", "vat_total", "gross_total"])


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"FV/TEST/{n + 1}")
    kind = InvoiceKind.VAT
    status = InvoiceStatus.ISSUED
    customer = factory.SubFactory("tests.crm.contacts.factories.CustomerFactory")
    issue_date = factory.LazyFunction(timezone.localdate)
    sale_date = factory.LazyAttribute(lambda o: o.issue_date)
    due_date = factory.LazyAttribute(lambda o: o.issue_date + timedelta(days=14))
    currency = "PLN"
    issued_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def lines(self, create: bool, extracted: list[Line] | None, **kwargs: Any) -> None:
        if create:
            lines_set(self, extracted if extracted is not None else [("Usługa wdrożeniowa", "1000.00", "23")])


def correction_make(invoice: Invoice, *, before: list[Line], after: list[Line], **kwargs: Any) -> Invoice:
    """An issued correction of `invoice` with its lines before and after."""
    correction = InvoiceFactory(
        kind=InvoiceKind.CORRECTION,
        corrects=invoice,
        customer=invoice.customer,
        currency=invoice.currency,
        correction_reason="Rabat posprzedażowy",
        lines=after,
        **kwargs,
    )
    lines_set(correction, before, before_correction=True)
    # what issuing does to the corrected invoice's stored sum (crm.invoicing.payments)
    invoice.corrections_total = corrections_total(invoice)
    Invoice.objects.filter(pk=invoice.pk).update(corrections_total=invoice.corrections_total)
    return correction


class PaymentFactory(factory.django.DjangoModelFactory):
    """A bare payment row (the service `payment_create` is what tests of the rules use)."""

    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    amount = Decimal("100.00")
    paid_at = factory.LazyFunction(timezone.localdate)
    method = PaymentMethod.TRANSFER


class RecurringInvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecurringInvoice

    template = factory.SubFactory(InvoiceFactory, status=InvoiceStatus.DRAFT, number="")
    interval = RecurringInterval.MONTHLY
    next_date = factory.LazyFunction(timezone.localdate)
