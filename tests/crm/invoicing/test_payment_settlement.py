"""Payments across documents, through the invoice services: a pro-forma's payments count
for its VAT invoice, and an issued correction changes what is due and the status follows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection

from crm.invoicing.models import InvoiceKind, InvoiceStatus
from crm.invoicing.payments import invoice_left_to_pay, invoices_overdue_refresh, payment_create
from crm.invoicing.reports import invoice_figures
from crm.invoicing.services import invoice_correction_create, invoice_issue, invoice_proforma_convert
from crm.invoicing.unpaid import unpaid_invoices
from tests.crm.invoicing.factories import issued_make, line


def test_a_vat_invoice_made_from_a_paid_proforma_is_issued_paid(szef, in_a):
    with in_a():
        proforma = issued_make(kind=InvoiceKind.PROFORMA, lines=[line(net_price="1000.00")])
        payment_create(actor=szef, invoice=proforma, amount=Decimal("1230.00"))

        vat = invoice_issue(invoice=invoice_proforma_convert(proforma=proforma, actor=szef), actor=szef)

        vat.refresh_from_db()
        assert (vat.status, vat.paid_total) == (InvoiceStatus.PAID, Decimal("1230.00"))
        assert [inv.pk for inv in unpaid_invoices(szef, today=vat.issue_date)] == []


def test_a_partly_paid_proforma_leaves_the_rest_on_its_vat_invoice(szef, in_a):
    with in_a():
        proforma = issued_make(kind=InvoiceKind.PROFORMA, lines=[line(net_price="1000.00")])
        payment_create(actor=szef, invoice=proforma, amount=Decimal("230.00"))
        vat = invoice_issue(invoice=invoice_proforma_convert(proforma=proforma, actor=szef), actor=szef)

        assert invoice_left_to_pay(vat) == Decimal("1000.00")
        payment_create(actor=szef, invoice=vat, amount=Decimal("1000.00"))

        vat.refresh_from_db()
        assert vat.status == InvoiceStatus.PAID
        assert invoices_overdue_refresh() == 0


def test_issuing_a_correction_settles_the_corrected_invoice(szef, in_a):
    with in_a():
        invoice = issued_make(lines=[line(net_price="1000.00")])
        payment_create(actor=szef, invoice=invoice, amount=Decimal("984.00"))
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PARTIALLY_PAID

        correction = invoice_correction_create(
            original=invoice, actor=szef, reason="Rabat", lines=[line(net_price="800.00")]
        )
        invoice_issue(invoice=correction, actor=szef)

        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID  # 1 230 − 246 = 984, all paid


def test_a_correction_lowers_what_the_unpaid_list_and_the_overdue_sum_show(szef, in_a):
    with in_a():
        invoice = issued_make(lines=[line(net_price="1000.00")])  # 1 230,00 gross
        later = invoice.due_date + timedelta(days=5)
        invoices_overdue_refresh(today=later)
        correction = invoice_correction_create(
            original=invoice, actor=szef, reason="Rabat", lines=[line(net_price="500.00")]
        )
        invoice_issue(invoice=correction, actor=szef, today=later)

        left = {inv.pk: inv.left for inv in unpaid_invoices(szef, today=later)}  # type: ignore[attr-defined]
        figures = invoice_figures(szef, days=30, since=later - timedelta(days=30), today=later)

    assert left == {invoice.pk: Decimal("615.00")}
    assert figures.overdue_all.figures() == {"count": 1, "value": {"PLN": Decimal("615.00")}}


def test_database_connections_run_without_jit(in_a):
    with in_a(), connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
