"""Sample invoices of the demo company: varied, valid for KSeF, made once."""

from __future__ import annotations

from crm.invoicing.demo import invoices_demo_seed
from crm.invoicing.fa3 import invoice_xml
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from crm.settings.demo import settings_demo_seed
from tests.crm.invoicing.factories import buyer_make


def test_demo_creates_nothing_without_customers(in_a):
    with in_a():
        assert invoices_demo_seed() == 0
        assert not Invoice.objects.exists()


def test_demo_invoices_are_varied_valid_and_seeding_twice_adds_nothing(in_a):
    with in_a():
        for name in ("Mleczarnia Łowicz", "Hurtownia Budmat", "Kancelaria Nowak"):
            buyer_make(name=name)
        settings_demo_seed()

        created = invoices_demo_seed()
        again = invoices_demo_seed()

        invoices = list(Invoice.objects.select_related("corrects").prefetch_related("lines"))
        kinds = {invoice.kind for invoice in invoices}
        assert created == len(invoices) and again == 0
        assert kinds == {InvoiceKind.VAT, InvoiceKind.PROFORMA, InvoiceKind.CORRECTION}
        assert any(invoice.currency == "EUR" and invoice.status == InvoiceStatus.ISSUED for invoice in invoices)
        assert any(invoice.split_payment for invoice in invoices)
        assert any(invoice.status == InvoiceStatus.DRAFT for invoice in invoices)
        correction = next(invoice for invoice in invoices if invoice.kind == InvoiceKind.CORRECTION)
        assert correction.gross_total < 0 and correction.corrects is not None
        for invoice in invoices:
            if invoice.status == InvoiceStatus.ISSUED and invoice.kind != InvoiceKind.PROFORMA:
                assert invoice_xml(invoice).startswith(b"<?xml")  # validated against the FA(3) schema
