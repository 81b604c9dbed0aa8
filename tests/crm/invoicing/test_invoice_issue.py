"""Issuing writes the whole invoice in the statement that takes its number (the series'
counter is locked only for that statement and the commit), and reports the issue (activity
log, the customer's timeline, webhooks, a paid pro-forma's status) right after the commit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from crm.activity.models import ActivityEntry
from crm.company.crypto import secret_encrypt
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, KsefStatus
from crm.invoicing.payments import payment_create
from crm.invoicing.services import invoice_issue, invoice_proforma_convert
from crm.invoicing.services.common import invoice_search_text
from crm.notes.models import TimelineEvent
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make, line

DAY = date(2026, 6, 15)


def test_the_issued_invoice_is_stored_whole_with_its_number_and_search_text(szef, in_a, company_settings_a):
    company_settings_a(invoice_number_pattern="Fakt-Ś/{YYYY}/{MM}/{NR}/Łd", tax_id="5260250274", city="Łódź")
    with in_a():
        draft = draft_make(
            actor=szef,
            customer=buyer_make(name="Żabka Śląska Sp. z o.o."),
            lines=[line(net_price="1000.00"), line(name="Szkolenie", net_price="250.50", vat_rate="8")],
            due_date=date(2026, 6, 1) + timedelta(days=14),
            issue_date=date(2026, 6, 1),
        )

        issued = invoice_issue(invoice=draft, actor=szef, today=DAY)
        stored = Invoice.objects.select_related("customer").get(pk=draft.pk)

    assert stored.number == issued.number == "Fakt-Ś/2026/06/1/Łd"
    assert (stored.series_period, stored.series_number) == ("2026-06", 1)
    assert stored.search_text == issued.search_text == invoice_search_text(stored)
    assert "fakt-s/2026/06/1/ld" in stored.search_text and "2026061" in stored.search_text
    assert "zabka slaska" in stored.search_text
    assert (stored.status, stored.ksef_status, stored.issued_by_id) == (
        InvoiceStatus.ISSUED,
        KsefStatus.NOT_SENT,
        szef.pk,
    )
    assert (stored.issue_date, stored.due_date) == (DAY, DAY + timedelta(days=14))
    assert (stored.net_total, stored.vat_total, stored.gross_total) == (
        Decimal("1250.50"),
        Decimal("250.04"),
        Decimal("1500.54"),
    )
    assert (stored.paid_total, stored.corrections_total) == (Decimal("0.00"), Decimal("0.00"))
    assert stored.seller["tax_id"] == "5260250274" and stored.seller["city"] == "Łódź"
    assert stored.buyer["name"] == "Żabka Śląska Sp. z o.o."
    assert stored.issued_at is not None and stored.updated_at >= stored.issued_at


def test_a_number_another_series_already_gave_is_skipped_not_repeated(in_a, company_settings_a):
    company_settings_a(invoice_number_pattern="FV/{YYYY}/{MM}/{NR}", proforma_number_pattern="FV/{YYYY}/{MM}/{NR}")
    with in_a():
        vat = invoice_issue(invoice=draft_make(), actor=None, today=DAY)
        proforma = invoice_issue(invoice=draft_make(kind=InvoiceKind.PROFORMA), actor=None, today=DAY)
        again = invoice_issue(invoice=draft_make(kind=InvoiceKind.PROFORMA), actor=None, today=DAY)

    assert vat.number == "FV/2026/06/1"
    assert (proforma.number, proforma.series_number) == ("FV/2026/06/2", 2)
    assert (again.number, again.series_number) == ("FV/2026/06/3", 3)


def test_the_issue_is_reported_to_the_log_the_timeline_and_webhooks_after_the_commit(
    szef, in_a, django_capture_on_commit_callbacks
):
    with in_a():
        WebhookEndpoint.objects.create(
            url="https://example.com/hook", events=["invoice.issued"], secret_encrypted=secret_encrypt("s")
        )
        customer = buyer_make()
        with django_capture_on_commit_callbacks() as reports:
            issued = invoice_issue(invoice=draft_make(customer=customer), actor=szef, today=DAY)
            assert not ActivityEntry.objects.filter(code="invoice.issued").exists()

        for report in reports:
            report()

        entry = ActivityEntry.objects.get(code="invoice.issued")
        event = TimelineEvent.objects.get(customer=customer, code="invoice.issued")
        delivery = WebhookDelivery.objects.get(event="invoice.issued")

    assert entry.params["number"] == issued.number == "FV/2026/06/1" and entry.user_id == szef.pk
    assert entry.object_id == str(issued.pk) and entry.object_repr == "FV/2026/06/1"
    assert event.message == "Wystawiono fakturę FV/2026/06/1."
    assert delivery.payload["data"]["number"] == "FV/2026/06/1"


def test_a_vat_invoice_of_a_paid_proforma_records_its_paid_status_after_the_commit(
    szef, in_a, django_capture_on_commit_callbacks
):
    with in_a():
        proforma = issued_make(kind=InvoiceKind.PROFORMA, lines=[line(net_price="1000.00")])
        payment_create(actor=szef, invoice=proforma, amount=Decimal("1230.00"))
        draft = invoice_proforma_convert(proforma=proforma, actor=szef)
        with django_capture_on_commit_callbacks(execute=True):
            vat = invoice_issue(invoice=draft, actor=szef)

        changes = ActivityEntry.objects.filter(code="invoice.payment_status", object_id=str(vat.pk))

        assert [(c.params["from"], c.params["to"]) for c in changes] == [(InvoiceStatus.ISSUED, InvoiceStatus.PAID)]
        assert changes[0].params["number"] == vat.number
