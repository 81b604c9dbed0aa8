"""/api/v1/payments/: partial payments move the invoice from issued to partially paid to
paid, an overpayment is refused with the amount left, drafts and corrections take no
payments, and ranks and companies are kept apart."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from crm.activity.models import ActivityEntry
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Payment
from crm.notes.models import TimelineEvent
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.payments_factories import InvoiceFactory, PaymentFactory, correction_make


def _pay(api, invoice, amount, **extra):
    body = {"invoice": invoice.pk, "amount": amount, **extra}
    return api.post("/api/v1/payments/", body, content_type="application/json")


def test_partial_payments_move_the_invoice_to_partially_paid_then_paid(api_szef, in_a):
    with in_a():
        invoice = InvoiceFactory()  # 1 230,00 PLN gross

    first = _pay(api_szef, invoice, "230.00", method="transfer", note="Pierwsza rata")
    assert first.status_code == 201, first.content
    assert first.json()["invoice_number"] == invoice.number
    with in_a():
        invoice.refresh_from_db()
        assert (invoice.status, str(invoice.paid_total)) == (InvoiceStatus.PARTIALLY_PAID, "230.00")

    second = _pay(api_szef, invoice, "1000.00", method="cash")
    assert second.status_code == 201, second.content
    with in_a():
        invoice.refresh_from_db()
        assert (invoice.status, str(invoice.paid_total)) == (InvoiceStatus.PAID, "1230.00")
        assert ActivityEntry.objects.filter(code="payment.created").count() == 2
        assert ActivityEntry.objects.filter(code="invoice.payment_status", params__to="paid").exists()
        assert TimelineEvent.objects.filter(customer=invoice.customer, code="invoice.paid").exists()


def test_an_overpayment_is_refused_with_what_is_left_and_nothing_is_saved(api_kierownik, in_a):
    with in_a():
        invoice = InvoiceFactory()
        PaymentFactory(invoice=invoice, amount="1000.00")
        Invoice.objects.filter(pk=invoice.pk).update(paid_total="1000.00", status=InvoiceStatus.PARTIALLY_PAID)

    response = _pay(api_kierownik, invoice, "230.01")

    assert response.status_code == 400
    assert "230,00 PLN" in response.json()["amount"][0]
    with in_a():
        assert Payment.objects.filter(invoice=invoice).count() == 1
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PARTIALLY_PAID


def test_overpayment_message_follows_the_callers_language(api_szef, in_a):
    with in_a():
        invoice = InvoiceFactory()

    response = api_szef.post(
        "/api/v1/payments/",
        {"invoice": invoice.pk, "amount": "5000.00"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "1,230.00 PLN" in response.json()["amount"][0]
    assert "Overpayment" in response.json()["amount"][0]


def test_a_draft_takes_no_payment(api_szef, in_a):
    with in_a():
        draft = InvoiceFactory(status=InvoiceStatus.DRAFT, number="")

    response = _pay(api_szef, draft, "10.00")

    assert response.status_code == 400
    assert "szkicem" in response.json()["invoice"][0]
    with in_a():
        assert not Payment.objects.exists()


def test_a_correction_takes_no_payment_and_lowers_what_is_due(api_szef, in_a):
    with in_a():
        invoice = InvoiceFactory(lines=[("Usługa", "1000.00", "23")])
        correction = correction_make(invoice, before=[("Usługa", "1000.00", "23")], after=[("Usługa", "800.00", "23")])
        assert correction.gross_total == -246

    assert _pay(api_szef, correction, "10.00").status_code == 400
    assert _pay(api_szef, invoice, "984.01").status_code == 400  # 1 230 − 246 = 984 left
    assert _pay(api_szef, invoice, "984.00").status_code == 201
    with in_a():
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID


def test_a_proforma_takes_payments(api_szef, in_a):
    with in_a():
        proforma = InvoiceFactory(kind=InvoiceKind.PROFORMA, number="PRO/1")

    assert _pay(api_szef, proforma, "1230.00").status_code == 201
    with in_a():
        proforma.refresh_from_db()
        assert proforma.status == InvoiceStatus.PAID


def test_zero_negative_and_future_payments_are_refused(api_szef, in_a):
    with in_a():
        invoice = InvoiceFactory()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    assert _pay(api_szef, invoice, "0.00").status_code == 400
    assert _pay(api_szef, invoice, "-5.00").status_code == 400
    assert "paid_at" in _pay(api_szef, invoice, "5.00", paid_at=tomorrow).json()
    assert "method" in _pay(api_szef, invoice, "5.00", method="bitcoin").json()
    with in_a():
        assert not Payment.objects.exists()


def test_deleting_a_payment_takes_the_invoice_back(api_szef, in_a):
    with in_a():
        invoice = InvoiceFactory(due_date=timezone.localdate() - timedelta(days=3))
    payment_id = _pay(api_szef, invoice, "1230.00").json()["id"]

    response = api_szef.delete(f"/api/v1/payments/{payment_id}/")

    assert response.status_code == 204
    with in_a():
        invoice.refresh_from_db()
        assert (invoice.status, invoice.paid_total) == (InvoiceStatus.OVERDUE, 0)
        assert ActivityEntry.objects.filter(code="payment.deleted").exists()


def test_pracownik_sees_payments_but_cannot_record_or_delete_them(api_pracownik, in_a):
    with in_a():
        payment = PaymentFactory()

    listed = api_pracownik.get("/api/v1/payments/")
    assert [row["id"] for row in listed.json()["results"]] == [payment.pk]
    assert _pay(api_pracownik, payment.invoice, "1.00").status_code == 403
    assert api_pracownik.delete(f"/api/v1/payments/{payment.pk}/").status_code == 403
    with in_a():
        assert Payment.objects.count() == 1


def test_restricted_pracownik_sees_only_payments_of_his_customers(api_restricted_pracownik, pracownik, in_a):
    with in_a():
        own = PaymentFactory(invoice=InvoiceFactory(customer=CustomerFactory(owner=pracownik)))
        other = PaymentFactory()

    listed = api_restricted_pracownik.get("/api/v1/payments/").json()["results"]

    assert [row["id"] for row in listed] == [own.pk]
    assert api_restricted_pracownik.get(f"/api/v1/payments/{other.pk}/").status_code == 404


def test_list_filters_by_invoice_and_customer(api_szef, in_a):
    with in_a():
        a, b = PaymentFactory(), PaymentFactory()

    by_invoice = api_szef.get("/api/v1/payments/", {"invoice": a.invoice_id}).json()["results"]
    by_customer = api_szef.get("/api/v1/payments/", {"customer": b.invoice.customer_id}).json()["results"]

    assert [r["id"] for r in by_invoice] == [a.pk]
    assert [r["id"] for r in by_customer] == [b.pk]
    assert api_szef.get("/api/v1/payments/", {"invoice": "x"}).status_code == 400


def test_another_companys_payment_and_invoice_are_404(api_outsider, api_szef, in_a):
    with in_a():
        payment = PaymentFactory()

    assert api_outsider.get(f"/api/v1/payments/{payment.pk}/").status_code == 404
    assert api_outsider.delete(f"/api/v1/payments/{payment.pk}/").status_code == 404
    assert api_outsider.get("/api/v1/payments/").json()["results"] == []
    refused = _pay(api_outsider, payment.invoice, "1.00")
    assert refused.status_code == 400 and "invoice" in refused.json()


def test_contract_fields_are_present(api_szef, in_a):
    with in_a():
        payment = PaymentFactory()

    row = api_szef.get(f"/api/v1/payments/{payment.pk}/").json()

    assert {"id", "invoice", "amount", "paid_at", "method", "note"} <= set(row)
    assert row["amount"] == "100.00"
