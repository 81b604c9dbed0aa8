"""Outgoing webhooks: events of a company's records reach the URLs Szef registered,
signed so the receiver can check them, retried with backoff, logged with the answer,
replayable; addresses inside the network are refused unless the tests allow them."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest

from crm.contacts.services import customer_create
from crm.invoicing.payments import payment_create
from crm.leads.services import lead_create
from crm.sales.services import deal_create
from crm.tasks.services import task_create, task_done_set
from crm.webhooks import services
from crm.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from crm.webhooks.services import BACKOFF, delivery_attempt
from crm.webhooks.tasks import delivery_send_task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.payments_factories import InvoiceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/webhooks/"
DELIVERIES = "/api/v1/settings/webhooks/deliveries/"


def _endpoint(receiver, events=("deal.created",)):
    endpoint, secret = services.endpoint_create(actor=None, url=receiver.url, events=list(events))
    receiver.secret = secret
    return endpoint


def _send_all():
    for delivery in WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING):
        delivery_attempt(delivery_id=delivery.pk)


def test_szef_registers_an_endpoint_and_sees_its_secret_only_once(api_szef, receiver):
    response = api_szef.post(URL, {"url": receiver.url, "events": ["deal.won", "invoice.paid"]}, "application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["deal.won", "invoice.paid"]
    listed = api_szef.get(URL).json()["results"][0]
    assert listed["id"] == body["id"] and "secret" not in listed
    regenerated = api_szef.post(f"{URL}{body['id']}/secret/").json()["secret"]
    assert regenerated != body["secret"]


def test_a_new_deal_reaches_the_endpoint_signed_with_the_record_as_the_api_shows_it(
    szef, in_a, receiver, django_capture_on_commit_callbacks
):
    with in_a():
        endpoint = _endpoint(receiver)
        with django_capture_on_commit_callbacks() as queued:
            deal = deal_create(actor=szef, name="Wdrożenie", customer=CustomerFactory(name="ACME"), value=Decimal(5))
        assert len(queued) == 1  # one send, after the commit
        _send_all()
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.status == DeliveryStatus.SUCCEEDED
        assert delivery.attempts.get().status_code == 200

    [got] = receiver.received
    assert got.signature_ok
    assert got.headers["ImCRM-Event"] == "deal.created"
    body = got.json
    assert body["event"] == "deal.created" and body["id"] == delivery.event_id and body["occurred_at"]
    assert body["type"] == "deal"
    assert body["data"]["id"] == deal.pk and body["data"]["name"] == "Wdrożenie"


def test_a_signature_made_with_another_secret_does_not_verify(in_a, receiver, szef):
    with in_a():
        _endpoint(receiver)
        receiver.secret = "whsec_wrong"
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        _send_all()

    assert [r.signature_ok for r in receiver.received] == [False]


@pytest.mark.parametrize(
    ("event", "make"),
    [
        ("customer.created", lambda actor: customer_create(actor=actor, data={"name": "Nowy klient"})),
        ("lead.created", lambda actor: lead_create(actor=actor, name="Jan Lead")),
        ("task.created", lambda actor: task_create(actor=actor, title="Zadzwoń")),
        (
            "task.completed",
            lambda actor: task_done_set(task=task_create(actor=actor, title="Zadzwoń"), done=True, actor=actor),
        ),
        (
            "invoice.paid",
            lambda actor: payment_create(
                actor=actor, invoice=InvoiceFactory(lines=[("Usługa", "100.00", "23")]), amount=Decimal("123.00")
            ),
        ),
    ],
)
def test_each_subscribed_event_of_the_records_is_delivered(szef, in_a, receiver, event, make):
    with in_a():
        _endpoint(receiver, events=[event])
        make(szef)
        _send_all()

    assert [r.json["event"] for r in receiver.received] == [event]
    assert all(r.signature_ok for r in receiver.received)


def test_an_endpoint_gets_only_the_events_it_subscribed_to_and_an_inactive_one_nothing(szef, in_a, receiver):
    with in_a():
        _endpoint(receiver, events=["deal.won"])
        off = _endpoint(receiver, events=["deal.created"])
        services.endpoint_update(endpoint=off, actor=None, active=False)
        deal_create(actor=szef, name="X", customer=CustomerFactory())

        assert not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_retried_with_backoff_then_the_delivery_fails(szef, in_a, receiver):
    for _ in range(6):
        receiver.answer_next(500, "awaria " + "x" * 5000)
    with in_a():
        _endpoint(receiver)
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        delivery = WebhookDelivery.objects.get()

        delays = [delivery_attempt(delivery_id=delivery.pk) for _ in range(6)]

        delivery.refresh_from_db()
        attempts = list(delivery.attempts.all())
        assert delays == [*BACKOFF, None]
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts_count == 6
        assert [a.status_code for a in attempts] == [500] * 6
        assert attempts[0].response.startswith("awaria") and len(attempts[0].response) == 2000
        assert delivery_attempt(delivery_id=delivery.pk) is None  # a failed delivery is not sent again
    assert len(receiver.received) == 6


def test_a_retry_that_succeeds_ends_the_delivery(szef, in_a, receiver):
    receiver.answer_next(503, "zajęte")
    with in_a():
        _endpoint(receiver)
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        delivery = WebhookDelivery.objects.get()

        assert delivery_attempt(delivery_id=delivery.pk) == 60
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.RETRYING and delivery.next_attempt_at is not None
        assert delivery_attempt(delivery_id=delivery.pk) is None
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SUCCEEDED
        assert [a.status_code for a in delivery.attempts.all()] == [503, 200]


def test_the_celery_job_schedules_the_next_attempt_after_the_backoff(company_a, szef, in_a, receiver):
    receiver.answer_next(500)
    with in_a():
        _endpoint(receiver)
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        delivery = WebhookDelivery.objects.get()
    with mock.patch.object(delivery_send_task, "apply_async") as later:
        delivery_send_task.apply(args=[delivery.pk], headers={"_schema_name": company_a.schema_name}, throw=True)

    later.assert_called_once_with(args=[delivery.pk], countdown=60)


def test_a_redirect_is_not_followed(szef, in_a, receiver):
    receiver.answer_next(302, "", {"Location": "http://169.254.169.254/latest/meta-data/"})
    with in_a():
        _endpoint(receiver)
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        _send_all()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.RETRYING
        assert delivery.attempts.get().status_code == 302
    assert len(receiver.received) == 1


def test_with_private_addresses_refused_a_loopback_url_is_never_called(szef, in_a, receiver, settings, api_szef):
    with in_a():
        _endpoint(receiver)
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    refused = api_szef.post(URL, {"url": receiver.url, "events": ["deal.won"]}, "application/json")
    with in_a():
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        _send_all()
        attempt = WebhookDelivery.objects.get().attempts.get()

    assert refused.status_code == 400 and "url" in refused.json()
    assert attempt.status_code is None and "sieć wewnętrzną" in attempt.error
    assert receiver.received == []


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5/x", "http://192.168.1.1/", "http://[::1]/", "http://169.254.169.254/", "ftp://x.pl/"]
)
def test_private_link_local_and_odd_urls_are_refused_in_production(api_szef, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    response = api_szef.post(URL, {"url": url, "events": ["deal.won"]}, "application/json")

    assert response.status_code == 400 and "url" in response.json()
    assert api_szef.get(URL).json()["count"] == 0


@pytest.mark.parametrize(
    "data",
    [
        {"url": "http://127.0.0.1:9/", "events": ["deal.teleported"]},
        {"url": "http://127.0.0.1:9/", "events": []},
        {"url": "nie-adres", "events": ["deal.won"]},
        {"events": ["deal.won"]},
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(api_szef, in_a, data):
    response = api_szef.post(URL, data, "application/json")

    assert response.status_code == 400
    with in_a():
        assert not WebhookEndpoint.objects.exists()


def test_replay_sends_the_same_event_again_as_a_new_delivery(api_szef, szef, in_a, receiver):
    receiver.answer_next(500)
    with in_a():
        _endpoint(receiver)
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        _send_all()
        first = WebhookDelivery.objects.get()

    response = api_szef.post(f"{DELIVERIES}{first.pk}/replay/")
    with in_a():
        _send_all()
        copy = WebhookDelivery.objects.get(pk=response.json()["id"])

    assert response.status_code == 202
    assert copy.event_id == first.event_id and copy.status == DeliveryStatus.SUCCEEDED
    assert [r.json["id"] for r in receiver.received] == [first.event_id, first.event_id]
    listed = api_szef.get(DELIVERIES, {"endpoint": first.endpoint_id}).json()["results"]
    assert {d["id"] for d in listed} == {first.pk, copy.pk}
    assert listed[-1]["attempts"][0]["status_code"] == 500


def test_a_test_event_is_sent_on_request(api_szef, in_a, receiver):
    with in_a():
        endpoint = _endpoint(receiver)

    response = api_szef.post(f"{URL}{endpoint.pk}/test/")
    with in_a():
        _send_all()

    assert response.status_code == 202
    assert [(r.json["event"], r.signature_ok) for r in receiver.received] == [("webhook.test", True)]


def test_another_companys_events_never_reach_this_companys_endpoint(in_a, company_b, outsider, receiver):
    from django_tenants.utils import schema_context

    with in_a():
        _endpoint(receiver)
    with schema_context(company_b.schema_name):
        deal_create(actor=outsider, name="Obca", customer=CustomerFactory())
        assert not WebhookDelivery.objects.exists()
    with in_a():
        assert not WebhookDelivery.objects.exists()


def test_an_outsider_gets_404_for_this_companys_endpoint_and_delivery(api_outsider, szef, in_a, receiver):
    with in_a():
        endpoint = _endpoint(receiver)
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        delivery = WebhookDelivery.objects.get()

    assert api_outsider.get(f"{URL}{endpoint.pk}/").status_code == 404
    assert api_outsider.delete(f"{URL}{endpoint.pk}/").status_code == 404
    assert api_outsider.post(f"{DELIVERIES}{delivery.pk}/replay/").status_code == 404
    assert api_outsider.get(DELIVERIES).json()["count"] == 0
    with in_a():
        assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
        assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize("client_name", ["api_pracownik", "api_kierownik"])
def test_only_szef_manages_webhooks(request, client_name, in_a, receiver):
    client = request.getfixturevalue(client_name)
    with in_a():
        endpoint = _endpoint(receiver)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"url": receiver.url, "events": ["deal.won"]}, "application/json").status_code == 403
    assert client.post(f"{URL}{endpoint.pk}/secret/").status_code == 403
    assert client.get(DELIVERIES).status_code == 403
    with in_a():
        assert WebhookEndpoint.objects.count() == 1


def test_a_delivery_whose_message_was_lost_is_sent_by_the_sweep(company_a, szef, in_a, receiver):
    from datetime import timedelta

    from django.utils import timezone

    from crm.webhooks.tasks import deliveries_sweep_task

    with in_a():
        _endpoint(receiver)
        deal_create(actor=szef, name="X", customer=CustomerFactory())
        fresh = WebhookDelivery.objects.get()
        lost = WebhookDelivery.objects.create(
            endpoint=fresh.endpoint,
            event=fresh.event,
            event_id="lost",
            payload=fresh.payload,
            next_attempt_at=timezone.now() - timedelta(hours=1),
        )
    with mock.patch.object(delivery_send_task, "apply_async") as send:
        swept = deliveries_sweep_task.apply(headers={"_schema_name": company_a.schema_name}, throw=True).get()

    assert swept == 1
    send.assert_called_once_with(args=[lost.pk])


def test_in_a_request_an_event_no_endpoint_wants_never_looks_for_endpoints(api_szef, in_a, receiver):
    """The request reads which events the active endpoints want together with the company's
    settings: a task (not subscribed) is sent nowhere without a query of the endpoints, a
    customer (subscribed) reaches the endpoint, and an inactive endpoint's events count not."""
    with in_a():
        _endpoint(receiver, events=["customer.created"])
        off = _endpoint(receiver, events=["task.created"])
        services.endpoint_update(endpoint=off, actor=None, active=False)
    manager = WebhookEndpoint.objects

    with mock.patch.object(WebhookEndpoint, "objects", wraps=manager) as endpoints:
        task = api_szef.post("/api/v1/tasks/", {"title": "Zadzwonić"}, content_type="application/json")
        after_task = [call for call in endpoints.filter.call_args_list if "events__contains" in call.kwargs]
        customer = api_szef.post("/api/v1/customers/", {"name": "Śrubex"}, content_type="application/json")
        after_customer = [call for call in endpoints.filter.call_args_list if "events__contains" in call.kwargs]
    with in_a():
        _send_all()

    assert (task.status_code, customer.status_code) == (201, 201)
    assert after_task == [] and len(after_customer) == 1
    assert [r.json["event"] for r in receiver.received] == ["customer.created"]
    assert receiver.received[0].json["data"]["name"] == "Śrubex"
