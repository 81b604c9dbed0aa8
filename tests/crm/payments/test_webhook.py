"""The company's own Stripe webhook (/payments/stripe/webhook/ on its host): verified with
its own signing secret, records a paid checkout on the invoice exactly once."""

from __future__ import annotations

import json
from decimal import Decimal

from crm.activity.models import ActivityEntry
from crm.invoicing.models import InvoiceStatus, Payment
from crm.invoicing.payments import payment_create
from crm.payments.models import CardCheckout, CheckoutStatus
from crm.payments.services import invoice_checkout_create
from tests.crm.invoicing.payments_factories import InvoiceFactory
from tests.crm.payments.conftest import OTHER_WEBHOOK_SECRET, WEBHOOK_SECRET, gateway_set, webhook_post
from tests.support.fake_stripe import signature_header

URLS = {"success_url": "https://alfa.example/ok", "cancel_url": "https://alfa.example/back"}


def _paid_session(fake, in_a, **invoice_fields):
    with in_a():
        invoice = InvoiceFactory(number="FV/2026/7", **invoice_fields)
        url = invoice_checkout_create(invoice, **URLS)
    session_id = url.rsplit("/", 1)[1]
    return invoice, session_id, fake.payment_complete(session_id)


def test_a_paid_checkout_is_recorded_on_the_invoice_as_a_card_payment(client_a, gateway_a, in_a):
    invoice, session_id, event = _paid_session(gateway_a, in_a)

    response = webhook_post(client_a, event)

    assert response.status_code == 200 and response.json()["outcome"] == "recorded"
    with in_a():
        payment = Payment.objects.get()
        assert payment.invoice_id == invoice.pk and payment.amount == Decimal("1230.00")
        assert payment.method == "card" and session_id in payment.note and "Stripe" in payment.note
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID and invoice.paid_total == Decimal("1230.00")
        assert CardCheckout.objects.get().status == CheckoutStatus.PAID
        assert ActivityEntry.objects.filter(code="payment.created", user__isnull=True).exists()


def test_the_same_event_delivered_twice_records_one_payment(client_a, gateway_a, in_a):
    _invoice, _sid, event = _paid_session(gateway_a, in_a)

    assert webhook_post(client_a, event).json()["outcome"] == "recorded"
    assert webhook_post(client_a, event).json()["outcome"] == "duplicate"

    with in_a():
        assert Payment.objects.count() == 1


def test_two_different_events_for_the_same_session_record_one_payment(client_a, gateway_a, in_a):
    _invoice, session_id, event = _paid_session(gateway_a, in_a)
    second = gateway_a.payment_complete(session_id, event_type="checkout.session.async_payment_succeeded")
    assert second["id"] != event["id"]

    assert webhook_post(client_a, event).json()["outcome"] == "recorded"
    assert webhook_post(client_a, second).json()["outcome"] == "already recorded"

    with in_a():
        assert Payment.objects.count() == 1


def test_a_partly_paid_invoice_gets_the_rest_by_card(client_a, gateway_a, in_a, kierownik):
    with in_a():
        invoice = InvoiceFactory()
        payment_create(actor=kierownik, invoice=invoice, amount=Decimal("1000.00"))
        invoice.refresh_from_db()
        url = invoice_checkout_create(invoice, **URLS)
    webhook_post(client_a, gateway_a.payment_complete(url.rsplit("/", 1)[1]))
    with in_a():
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID
        assert Payment.objects.get(method="card").amount == Decimal("230.00")


def test_a_wrong_signature_is_refused_and_nothing_is_recorded(client_a, gateway_a, in_a):
    _invoice, _sid, event = _paid_session(gateway_a, in_a)
    body = json.dumps(event).encode()
    tampered = body.replace(b'"amount_total": 123000', b'"amount_total": 999')

    assert webhook_post(client_a, event, secret="whsec_SomeoneElse12345").status_code == 400
    assert client_a.post("/payments/stripe/webhook/", data=body, content_type="application/json").status_code == 400
    assert tampered != body
    response = client_a.post(
        "/payments/stripe/webhook/",
        data=tampered,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature_header(body, WEBHOOK_SECRET),
    )
    assert response.status_code == 400
    with in_a():
        assert not Payment.objects.exists()


def test_another_companys_signing_secret_does_not_work_on_this_companys_host(
    client_a, client_b, gateway_a, in_a, company_b
):
    from django_tenants.utils import schema_context

    with schema_context(company_b.schema_name):
        gateway_set(webhook_secret=OTHER_WEBHOOK_SECRET)
    _invoice, _sid, event = _paid_session(gateway_a, in_a)

    assert webhook_post(client_a, event, secret=OTHER_WEBHOOK_SECRET).status_code == 400
    # and A's event sent to B's host with B's secret is not B's checkout: nothing happens there
    assert webhook_post(client_b, event, secret=OTHER_WEBHOOK_SECRET).json()["outcome"] == "ignored: not ours"
    with in_a():
        assert not Payment.objects.exists()
    with schema_context(company_b.schema_name):
        assert not Payment.objects.exists()


def test_without_a_stored_signing_secret_the_endpoint_refuses_everything(client_a, fake_stripe):
    assert webhook_post(client_a, {"id": "evt_1", "type": "checkout.session.completed"}).status_code == 400


def test_an_unpaid_session_and_other_events_are_acknowledged_without_a_payment(client_a, gateway_a, in_a):
    _invoice, _session_id, event = _paid_session(gateway_a, in_a)
    event["data"]["object"]["payment_status"] = "unpaid"
    assert webhook_post(client_a, event).json()["outcome"] == "ignored: not paid"
    other = dict(event, id="evt_other_1", type="payment_intent.created")
    assert webhook_post(client_a, other).json()["outcome"] == "ignored: type"
    with in_a():
        assert not Payment.objects.exists()


def test_a_checkout_paid_after_the_invoice_was_settled_is_flagged_not_overpaid(client_a, gateway_a, in_a, szef):
    invoice, _sid, event = _paid_session(gateway_a, in_a)
    with in_a():
        payment_create(actor=szef, invoice=invoice, amount=Decimal("1230.00"))

    response = webhook_post(client_a, event)

    assert response.status_code == 200 and response.json()["outcome"] == "problem"
    with in_a():
        assert Payment.objects.count() == 1
        assert CardCheckout.objects.get().status == CheckoutStatus.PROBLEM
    card = client_a.login_as(szef).get(f"/invoices/{invoice.pk}/").content.decode()
    assert "zapłacona, nie zapisana" in card


def test_a_body_that_is_not_an_event_is_refused(client_a, gateway_a):
    assert webhook_post(client_a, b"[1, 2]").status_code == 400
    assert webhook_post(client_a, b'{"type": "x"}').status_code == 400
    assert client_a.get("/payments/stripe/webhook/").status_code == 405
