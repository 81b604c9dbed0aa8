"""`invoice_checkout_create` and `invoice_pay_available` against the local fake Stripe,
with the company's own key; and the invoice card's "Kopiuj link do płatności"."""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe

from crm.invoicing.models import InvoiceKind, InvoiceStatus
from crm.invoicing.payments import payment_create
from crm.payments.models import CardCheckout, CheckoutStatus
from crm.payments.services import CheckoutError, invoice_checkout_create, invoice_pay_available
from tests.crm.invoicing.payments_factories import InvoiceFactory
from tests.crm.payments.conftest import SECRET, gateway_set

URLS = {"success_url": "https://alfa.example/ok", "cancel_url": "https://alfa.example/back"}


def test_a_checkout_asks_stripe_for_what_is_left_in_the_invoices_currency_with_the_companys_key(
    gateway_a, in_a, kierownik, company_a
):
    with in_a():
        invoice = InvoiceFactory(number="FV/2026/1", currency="EUR", lines=[("Usługa", "1000.00", "23")])
        payment_create(actor=kierownik, invoice=invoice, amount=Decimal("230.50"), method="transfer")
        invoice.refresh_from_db()
        assert invoice_pay_available(invoice)
        url = invoice_checkout_create(invoice, **URLS)

    call = gateway_a.calls("POST", "/v1/checkout/sessions")[0]
    assert call.headers["authorization"] == f"Bearer {SECRET}"
    assert stripe.api_key != SECRET  # the operator's global key is left alone
    item = call.params["line_items"][0]
    assert item["price_data"]["currency"] == "eur"
    assert item["price_data"]["unit_amount"] == "99950"  # 1 230,00 − 230,50 EUR in cents
    assert call.params["mode"] == "payment"
    assert call.params["success_url"] == URLS["success_url"] and call.params["cancel_url"] == URLS["cancel_url"]
    assert call.params["metadata"]["imcrm_invoice_id"] == str(invoice.pk)
    assert call.params["metadata"]["imcrm_schema"] == company_a.schema_name
    assert call.params["metadata"]["imcrm_company_id"] == str(company_a.pk)
    session = gateway_a.sessions[url.rsplit("/", 1)[1]]
    assert session["amount_total"] == 99950 and url == session["url"]
    with in_a():
        checkout = CardCheckout.objects.get()
        assert checkout.session_id == session["id"] and checkout.amount == Decimal("999.50")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": InvoiceStatus.DRAFT}, "szkicem"),
        ({"status": InvoiceStatus.CANCELLED}, "anulowana"),
        ({"status": InvoiceStatus.PAID}, "opłacona"),
        ({"kind": InvoiceKind.CORRECTION}, "nie można zapłacić kartą"),
    ],
)
def test_invoices_that_cannot_be_paid_are_refused_with_a_reason(gateway_a, in_a, changes, message):
    with in_a():
        invoice = InvoiceFactory(**changes)
        assert not invoice_pay_available(invoice)
        with pytest.raises(CheckoutError, match=message):
            invoice_checkout_create(invoice, **URLS)
    assert not gateway_a.calls("POST", "/v1/checkout/sessions")


def test_nothing_left_to_pay_is_refused(gateway_a, in_a, kierownik):
    with in_a():
        invoice = InvoiceFactory()
        payment_create(actor=kierownik, invoice=invoice, amount=Decimal("1230.00"))
        invoice.refresh_from_db()
        with pytest.raises(CheckoutError, match="opłacona"):
            invoice_checkout_create(invoice, **URLS)


def test_without_a_configured_gateway_nothing_is_offered(fake_stripe, in_a):
    with in_a():
        invoice = InvoiceFactory()
        assert not invoice_pay_available(invoice)
        with pytest.raises(CheckoutError, match="nie są skonfigurowane"):
            invoice_checkout_create(invoice, **URLS)
        gateway_set(enabled=False)
        assert not invoice_pay_available(invoice)
    assert not fake_stripe.requests


def test_a_key_stripe_refuses_gives_a_clear_message(fake_stripe, in_a):
    with in_a():
        gateway_set(secret="pk_test_notasecretkey1")
        invoice = InvoiceFactory()
        with pytest.raises(CheckoutError, match="nie przyjął klucza"):
            invoice_checkout_create(invoice, **URLS)
        assert CardCheckout.objects.get().status == CheckoutStatus.FAILED


def test_kierownik_copies_a_payment_link_from_the_invoice_card(client_a, kierownik, gateway_a, in_a):
    with in_a():
        invoice = InvoiceFactory()
    client_a.login_as(kierownik)
    card = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    assert 'data-testid="payment-link-create"' in card

    response = client_a.post(f"/payments/invoices/{invoice.pk}/link/")

    assert response.status_code == 200
    session = next(iter(gateway_a.sessions.values()))
    assert session["url"] in response.content.decode()
    assert session["success_url"].endswith("/payments/return/?result=paid")


def test_the_link_action_explains_why_a_paid_invoice_has_no_link(client_a, szef, gateway_a, in_a):
    with in_a():
        invoice = InvoiceFactory(status=InvoiceStatus.PAID)
    response = client_a.login_as(szef).post(f"/payments/invoices/{invoice.pk}/link/")
    assert response.status_code == 400
    assert "opłacona" in response.content.decode()
    assert not gateway_a.sessions


def test_the_card_has_no_link_button_when_the_gateway_is_not_configured(client_a, szef, in_a):
    with in_a():
        invoice = InvoiceFactory()
    card = client_a.login_as(szef).get(f"/invoices/{invoice.pk}/").content.decode()
    assert 'data-testid="invoice-card-payment"' not in card


def test_pracownik_sees_no_button_and_cannot_create_a_link(client_a, pracownik, gateway_a, in_a):
    with in_a():
        invoice = InvoiceFactory()
    client_a.login_as(pracownik)
    card = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    assert 'data-testid="payment-link-create"' not in card
    assert client_a.post(f"/payments/invoices/{invoice.pk}/link/").status_code == 403
    assert not gateway_a.sessions


def test_another_company_gets_404_for_the_link(client_b, outsider, gateway_a, in_a):
    with in_a():
        invoice = InvoiceFactory()
    assert client_b.login_as(outsider).post(f"/payments/invoices/{invoice.pk}/link/").status_code == 404
    assert not gateway_a.sessions


def test_the_customers_return_page_needs_no_login(client_a):
    assert "Dziękujemy za płatność" in client_a.get("/payments/return/?result=paid").content.decode()
    assert "Płatność przerwana" in client_a.get("/payments/return/?result=cancelled").content.decode()


def test_asking_again_for_the_same_amount_gives_the_same_open_session(gateway_a, in_a, kierownik):
    with in_a():
        invoice = InvoiceFactory()
        first = invoice_checkout_create(invoice, **URLS)
        assert invoice_checkout_create(invoice, **URLS) == first
        payment_create(actor=kierownik, invoice=invoice, amount=Decimal("30.00"))
        invoice.refresh_from_db()
        second = invoice_checkout_create(invoice, **URLS)
    assert second != first
    assert [
        c.params["line_items"][0]["price_data"]["unit_amount"] for c in gateway_a.calls("POST", "/v1/checkout/sessions")
    ] == ["123000", "120000"]
