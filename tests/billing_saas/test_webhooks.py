from __future__ import annotations

import json
import time
from typing import Any

import pytest

from billing_saas import webhooks
from billing_saas.models import Plan, StripeEvent
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import WEBHOOK_SECRET, account_of, company_set, deliver, webhook_post
from tests.support.fake_stripe import event, new_id


def _customer(company: Any, fake: Any) -> str:
    customer = new_id("cus")
    fake.customers[customer] = {"id": customer, "object": "customer"}
    account = account_of(company)
    account.stripe_customer_id = customer
    account.save()
    return customer


def _status(company: Any) -> str:
    company.refresh_from_db()
    return str(company.status)


@pytest.fixture
def biznes() -> Plan:
    plan = Plan.objects.get(code="biznes")
    plan.stripe_price_monthly = "price_test_biznes_month"
    plan.stripe_price_yearly = "price_test_biznes_year"
    plan.save()
    return plan


def test_webhook_with_a_bad_signature_is_refused_and_changes_nothing(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    sub = fake_stripe.subscription_put(customer=customer, status="active")
    response = webhook_post(public_client, event("customer.subscription.updated", sub), secret="whsec_wrong")
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert _status(company_a) == CompanyStatus.TRIAL
    assert not fake_stripe.calls("GET", "/v1/subscriptions")


def test_webhook_without_a_signature_is_refused(public_client, company_a, fake_stripe):
    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe))
    response = webhook_post(public_client, event("customer.subscription.updated", sub), sign=False)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert _status(company_a) == CompanyStatus.TRIAL


def test_webhook_with_a_tampered_body_is_refused(public_client, company_a, fake_stripe):
    from tests.support.fake_stripe import signature_header

    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe))
    body = json.dumps(event("customer.subscription.updated", sub)).encode()
    header = signature_header(body, WEBHOOK_SECRET)
    response = public_client.post(
        "/billing/stripe/webhook/",
        data=body.replace(b"active", b"ACTIVE"),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert _status(company_a) == CompanyStatus.TRIAL


def test_webhook_with_an_old_signature_timestamp_is_refused(public_client, company_a, fake_stripe):
    from tests.support.fake_stripe import signature_header

    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe))
    body = json.dumps(event("customer.subscription.updated", sub)).encode()
    header = signature_header(body, WEBHOOK_SECRET, timestamp=int(time.time()) - 3600)
    response = public_client.post(
        "/billing/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400


def test_webhook_is_refused_when_stripe_is_not_configured(public_client, company_a, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = webhook_post(public_client, event("invoice.paid", {"id": "in_1", "object": "invoice"}))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_checkout_session_completed_activates_the_company_on_the_paid_plan(
    public_client, company_a, fake_stripe, biznes
):
    customer = _customer(company_a, fake_stripe)
    company_set(company_a, plan_id=None)
    sub = fake_stripe.subscription_put(customer=customer, status="active", price="price_test_biznes_year")
    session = {
        "id": new_id("cs"),
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "customer": customer,
        "subscription": sub["id"],
        "client_reference_id": str(company_a.pk),
        "metadata": {"company_id": str(company_a.pk)},
    }
    response = deliver(public_client, "checkout.session.completed", session)
    assert response.status_code == 200, response.content
    assert _status(company_a) == CompanyStatus.ACTIVE
    assert company_a.plan_id == biznes.pk
    account = account_of(company_a)
    assert account.stripe_subscription_id == sub["id"]
    assert account.interval == "year"
    assert account.first_paid_at is not None
    assert StripeEvent.objects.get().company_id == company_a.pk


def test_checkout_session_completed_links_the_customer_when_the_company_had_none(public_client, company_a, fake_stripe):
    customer = new_id("cus")
    fake_stripe.customers[customer] = {"id": customer}
    sub = fake_stripe.subscription_put(customer=customer, status="active")
    session = {
        "id": new_id("cs"),
        "object": "checkout.session",
        "mode": "subscription",
        "customer": customer,
        "subscription": sub["id"],
        "client_reference_id": str(company_a.pk),
    }
    assert deliver(public_client, "checkout.session.completed", session).status_code == 200
    assert account_of(company_a).stripe_customer_id == customer
    assert _status(company_a) == CompanyStatus.ACTIVE


def test_checkout_of_another_companys_customer_does_not_change_this_company(
    public_client, company_a, company_b, fake_stripe
):
    _customer(company_a, fake_stripe)
    other = _customer(company_b, fake_stripe)
    sub = fake_stripe.subscription_put(customer=other, status="active")
    session = {
        "id": new_id("cs"),
        "object": "checkout.session",
        "mode": "subscription",
        "customer": other,
        "subscription": sub["id"],
        "client_reference_id": str(company_a.pk),
    }
    assert deliver(public_client, "checkout.session.completed", session).status_code == 200
    assert _status(company_a) == CompanyStatus.TRIAL
    assert _status(company_b) == CompanyStatus.TRIAL


def test_subscription_created_makes_the_company_active(public_client, company_a, fake_stripe):
    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe), status="active")
    assert deliver(public_client, "customer.subscription.created", sub).status_code == 200
    assert _status(company_a) == CompanyStatus.ACTIVE


def test_subscription_updated_to_past_due_marks_the_company_past_due_with_a_banner(
    public_client, client_a, szef, company_a, fake_stripe
):
    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe), status="past_due")
    assert deliver(public_client, "customer.subscription.updated", sub).status_code == 200
    assert _status(company_a) == CompanyStatus.PAST_DUE
    page = client_a.login_as(szef).get("/settings/billing/")
    assert 'data-status="past_due"' in page.content.decode()
    assert "Nie udało się pobrać opłaty" in page.content.decode()


def test_subscription_updated_to_unpaid_makes_the_company_read_only(public_client, company_a, fake_stripe):
    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe), status="unpaid")
    assert deliver(public_client, "customer.subscription.updated", sub).status_code == 200
    assert _status(company_a) == CompanyStatus.READ_ONLY
    assert account_of(company_a).read_only_since is not None


def test_subscription_deleted_after_failed_payments_makes_the_company_read_only(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    sub = fake_stripe.subscription_put(customer=customer, status="active")
    deliver(public_client, "customer.subscription.created", sub)
    sub = fake_stripe.subscription_put(
        customer=customer, sub_id=sub["id"], status="canceled", cancel_reason="payment_failed"
    )
    assert deliver(public_client, "customer.subscription.deleted", sub).status_code == 200
    assert _status(company_a) == CompanyStatus.READ_ONLY
    assert account_of(company_a).canceled_at is not None


def test_subscription_cancelled_by_szef_makes_the_company_cancelled(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    sub = fake_stripe.subscription_put(customer=customer, status="canceled", cancel_reason="cancellation_requested")
    assert deliver(public_client, "customer.subscription.deleted", sub).status_code == 200
    assert _status(company_a) == CompanyStatus.CANCELLED


def test_deleted_event_for_a_subscription_stripe_no_longer_has_uses_the_event(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    sub = fake_stripe.subscription_put(customer=customer, status="canceled", cancel_reason="payment_failed")
    del fake_stripe.subscriptions[sub["id"]]
    assert deliver(public_client, "customer.subscription.deleted", sub).status_code == 200
    assert _status(company_a) == CompanyStatus.READ_ONLY


def test_invoice_payment_failed_marks_the_company_past_due(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    sub = fake_stripe.subscription_put(customer=customer, status="past_due")
    invoice = fake_stripe.invoice_add(customer=customer, subscription=sub["id"], status="open")
    assert deliver(public_client, "invoice.payment_failed", invoice).status_code == 200
    assert _status(company_a) == CompanyStatus.PAST_DUE


def test_invoice_paid_restores_a_read_only_company_at_once(public_client, client_a, szef, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    sub = fake_stripe.subscription_put(customer=customer, status="unpaid")
    deliver(public_client, "customer.subscription.updated", sub)
    assert _status(company_a) == CompanyStatus.READ_ONLY
    assert client_a.login_as(szef).post("/api/v1/tasks/", {"title": "Zadzwonić"}).status_code == 402
    fake_stripe.subscription_put(customer=customer, sub_id=sub["id"], status="active")
    invoice = fake_stripe.invoice_add(customer=customer, subscription=sub["id"])
    assert deliver(public_client, "invoice.paid", invoice).status_code == 200
    assert _status(company_a) == CompanyStatus.ACTIVE
    account = account_of(company_a)
    assert account.read_only_since is None and account.last_paid_at is not None
    assert client_a.post("/api/v1/tasks/", {"title": "Zadzwonić"}).status_code == 201


def test_invoice_paid_restores_a_suspended_company(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    sub = fake_stripe.subscription_put(customer=customer, status="unpaid")
    deliver(public_client, "customer.subscription.updated", sub)
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    deliver(public_client, "customer.subscription.updated", sub)
    assert _status(company_a) == CompanyStatus.SUSPENDED  # still unpaid: stays suspended, not back to read-only
    fake_stripe.subscription_put(customer=customer, sub_id=sub["id"], status="active")
    deliver(public_client, "invoice.paid", fake_stripe.invoice_add(customer=customer, subscription=sub["id"]))
    assert _status(company_a) == CompanyStatus.ACTIVE


def test_payment_does_not_lift_an_operator_suspension(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    account = account_of(company_a)
    account.operator_suspended = True
    account.save()
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    sub = fake_stripe.subscription_put(customer=customer, status="active")
    deliver(public_client, "invoice.paid", fake_stripe.invoice_add(customer=customer, subscription=sub["id"]))
    assert _status(company_a) == CompanyStatus.SUSPENDED
    assert account_of(company_a).stripe_subscription_status == "active"


def test_a_duplicate_event_is_acknowledged_and_processed_once(public_client, company_a, fake_stripe):
    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe), status="active")
    payload = event("customer.subscription.created", sub)
    first = webhook_post(public_client, payload)
    second = webhook_post(public_client, payload)
    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert StripeEvent.objects.filter(id=payload["id"]).count() == 1
    assert len(fake_stripe.calls("GET", f"/v1/subscriptions/{sub['id']}")) == 1


def test_out_of_order_events_cannot_move_the_subscription_backwards(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    now = int(time.time())
    sub = fake_stripe.subscription_put(customer=customer, status="active")
    newer = event("customer.subscription.updated", {**sub, "status": "active"}, created=now)
    older = event("customer.subscription.updated", {**sub, "status": "past_due"}, created=now - 120)
    assert webhook_post(public_client, newer).status_code == 200
    assert webhook_post(public_client, older).status_code == 200
    assert _status(company_a) == CompanyStatus.ACTIVE
    assert account_of(company_a).stripe_subscription_status == "active"


def test_a_late_event_of_a_replaced_subscription_is_ignored(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    old = fake_stripe.subscription_put(customer=customer, status="canceled", created=int(time.time()) - 86400)
    new = fake_stripe.subscription_put(customer=customer, status="active")
    deliver(public_client, "customer.subscription.created", new)
    assert deliver(public_client, "customer.subscription.deleted", old).status_code == 200
    assert _status(company_a) == CompanyStatus.ACTIVE
    assert account_of(company_a).stripe_subscription_id == new["id"]


def test_a_handler_that_fails_answers_500_rolls_back_and_the_retry_succeeds_once(
    public_client, company_a, fake_stripe, monkeypatch
):
    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe), status="active")
    payload = event("customer.subscription.created", sub)
    real = webhooks.HANDLERS["customer.subscription.created"]

    def failing(obj: Any) -> Any:
        real(obj)  # the change is made, then something breaks
        raise RuntimeError("boom")

    monkeypatch.setitem(webhooks.HANDLERS, "customer.subscription.created", failing)
    assert webhook_post(public_client, payload).status_code == 500
    assert not StripeEvent.objects.exists()
    assert _status(company_a) == CompanyStatus.TRIAL
    assert account_of(company_a).stripe_subscription_id == ""

    monkeypatch.setitem(webhooks.HANDLERS, "customer.subscription.created", real)
    retry = webhook_post(public_client, payload)
    assert retry.status_code == 200 and retry.json()["duplicate"] is False
    assert _status(company_a) == CompanyStatus.ACTIVE
    again = webhook_post(public_client, payload)
    assert again.json()["duplicate"] is True


def test_stripe_being_unreachable_while_processing_answers_500(public_client, company_a, fake_stripe, settings):
    sub = fake_stripe.subscription_put(customer=_customer(company_a, fake_stripe), status="active")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    response = deliver(public_client, "customer.subscription.created", sub)
    assert response.status_code == 500
    assert not StripeEvent.objects.exists()
    assert _status(company_a) == CompanyStatus.TRIAL


def test_events_of_unknown_customers_and_types_are_stored_and_acknowledged(public_client, company_a, fake_stripe):
    stranger = fake_stripe.subscription_put(customer="cus_someone_else", status="active")
    assert deliver(public_client, "customer.subscription.updated", stranger).status_code == 200
    assert deliver(public_client, "customer.created", {"id": "cus_x", "object": "customer"}).status_code == 200
    assert StripeEvent.objects.count() == 2
    assert not StripeEvent.objects.exclude(company=None).exists()
    assert _status(company_a) == CompanyStatus.TRIAL


def test_a_new_subscription_replacing_an_unpaid_one_cancels_the_old_in_stripe(public_client, company_a, fake_stripe):
    customer = _customer(company_a, fake_stripe)
    old = fake_stripe.subscription_put(customer=customer, status="unpaid", created=int(time.time()) - 86400)
    deliver(public_client, "customer.subscription.updated", old)
    new = fake_stripe.subscription_put(customer=customer, status="active")
    deliver(public_client, "customer.subscription.created", new)
    assert _status(company_a) == CompanyStatus.ACTIVE
    assert fake_stripe.subscriptions[old["id"]]["status"] == "canceled"
    assert fake_stripe.calls("DELETE", f"/v1/subscriptions/{old['id']}")


# --- Signed events of an unexpected shape ----------------------------------------------


def _event_with(**fields: Any) -> bytes:
    return json.dumps({**event("invoice.paid", {"id": "in_1", "object": "invoice"}), **fields}).encode()


UNEXPECTED_SHAPES = {
    "a list": b"[]",
    "null": b"null",
    "no type": json.dumps({"id": "evt_x"}).encode(),
    "an id of 10,000 characters": _event_with(id="evt_" + "x" * 10_000),
    "an id that is a number": _event_with(id=12345),
    "a type of 500 characters": _event_with(type="invoice." + "x" * 500),
    "created in words": _event_with(created="yesterday"),
    "created after the year 9999": _event_with(created=10**15),
    "data.object a list": _event_with(data={"object": []}),
    "JSON nested 1,000 levels": b"[" * 1000 + b"]" * 1000,
    "an event nested 100 levels": _event_with(
        data={"object": {"id": "in_1", "metadata": json.loads("[" * 100 + "]" * 100)}}
    ),
}


@pytest.mark.parametrize("body", UNEXPECTED_SHAPES.values(), ids=UNEXPECTED_SHAPES.keys())
def test_a_signed_event_of_unexpected_shape_is_refused_with_400_logged_and_changes_nothing(
    public_client, company_a, fake_stripe, caplog, body
):
    public_client.raise_request_exception = False
    with caplog.at_level("WARNING", logger="billing_saas"):
        response = webhook_post(public_client, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid event"
    assert not StripeEvent.objects.exists()
    assert _status(company_a) == CompanyStatus.TRIAL
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_checkout_whose_customer_already_pays_for_another_company_is_acknowledged_and_changes_nothing(
    public_client, company_a, company_b, fake_stripe, caplog
):
    public_client.raise_request_exception = False
    taken = _customer(company_b, fake_stripe)  # company A has no Stripe customer yet
    sub = fake_stripe.subscription_put(customer=taken, status="active")
    session = {
        "id": new_id("cs"),
        "object": "checkout.session",
        "mode": "subscription",
        "customer": taken,
        "subscription": sub["id"],
        "client_reference_id": str(company_a.pk),
    }
    with caplog.at_level("WARNING", logger="billing_saas"):
        response = deliver(public_client, "checkout.session.completed", session)
    assert response.status_code == 200
    assert account_of(company_a).stripe_customer_id == ""
    assert account_of(company_b).stripe_customer_id == taken
    assert _status(company_a) == CompanyStatus.TRIAL and _status(company_b) == CompanyStatus.TRIAL
    assert StripeEvent.objects.get().company_id is None  # stored: a redelivery is a duplicate, not a retry storm
    assert any(taken in r.getMessage() for r in caplog.records)


def test_returning_from_checkout_with_another_companys_customer_does_not_link_it(
    client_a, szef, company_a, company_b, fake_stripe
):
    client_a.raise_request_exception = False
    taken = _customer(company_b, fake_stripe)
    sub = fake_stripe.subscription_put(customer=taken, status="active")
    session_id = new_id("cs")
    fake_stripe.sessions[session_id] = {
        "id": session_id,
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "customer": taken,
        "subscription": sub["id"],
        "client_reference_id": str(company_a.pk),
    }
    response = client_a.login_as(szef).get(f"/settings/billing/?checkout=success&session_id={session_id}", follow=True)
    assert response.status_code == 200
    assert "Dziękujemy! Subskrypcja jest aktywna." not in response.content.decode()
    assert account_of(company_a).stripe_customer_id == ""
    assert _status(company_a) == CompanyStatus.TRIAL


EVENT_OBJECTS_OF_UNEXPECTED_SHAPE = {
    "subscription without id or status": ("customer.subscription.updated", {"object": "subscription"}),
    "subscription with an id list": ("customer.subscription.updated", {"id": ["sub_1"], "customer": {"id": 5}}),
    "invoice of a 10,000-character subscription": (
        "invoice.paid",
        {"id": "in_1", "subscription": "sub_" + "x" * 10_000},
    ),
    "checkout with a customer id of 300 characters": (
        "checkout.session.completed",
        {"id": "cs_1", "mode": "subscription", "customer": "cus_" + "x" * 300, "client_reference_id": "1"},
    ),
    "checkout for a company id of 40 digits": (
        "checkout.session.completed",
        {"id": "cs_1", "mode": "subscription", "client_reference_id": "9" * 40},
    ),
}


@pytest.mark.parametrize(
    "event_type,obj", EVENT_OBJECTS_OF_UNEXPECTED_SHAPE.values(), ids=EVENT_OBJECTS_OF_UNEXPECTED_SHAPE
)
def test_an_event_whose_object_has_an_unexpected_shape_is_acknowledged_and_changes_nothing(
    public_client, company_a, fake_stripe, event_type, obj
):
    public_client.raise_request_exception = False
    obj = {**obj, "metadata": {"company_id": str(company_a.pk)}}
    if obj.get("client_reference_id") == "1":
        obj["client_reference_id"] = str(company_a.pk)
    response = deliver(public_client, event_type, obj)
    assert response.status_code == 200
    assert _status(company_a) == CompanyStatus.TRIAL
    assert account_of(company_a).stripe_customer_id == ""
