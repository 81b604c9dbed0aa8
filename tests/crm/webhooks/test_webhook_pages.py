"""Settings > Webhooki: Szef adds an endpoint (the secret shown once), sends a test
event, reads a delivery's answers and replays it; other ranks get 403, another
company's endpoint or delivery is a 404."""

from __future__ import annotations

import pytest

from crm.webhooks import services
from crm.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from crm.webhooks.services import delivery_attempt

pytestmark = pytest.mark.django_db


def test_szef_adds_an_endpoint_in_settings_and_sees_the_secret_once(client_a, szef, in_a, receiver):
    client_a.login_as(szef)

    response = client_a.post(
        "/settings/webhooks/add/", {"url": receiver.url, "events": ["deal.won", "lead.created"], "active": "on"}
    )

    page = response.content.decode()
    assert response.status_code == 200 and "whsec_" in page
    with in_a():
        endpoint = WebhookEndpoint.objects.get()
        assert endpoint.events == ["deal.won", "lead.created"]
        assert services.endpoint_secret(endpoint) in page
    listing = client_a.get("/settings/webhooks/").content.decode()
    assert receiver.url in listing and "whsec_" not in listing


def test_a_bad_form_shows_the_error_and_saves_nothing(client_a, szef, in_a, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    client_a.login_as(szef)

    response = client_a.post("/settings/webhooks/add/", {"url": "http://127.0.0.1/x", "events": ["deal.won"]})

    assert response.status_code == 400
    assert "sieć wewnętrzną" in response.content.decode()
    with in_a():
        assert not WebhookEndpoint.objects.exists()


def test_send_test_event_then_read_the_answer_and_replay(client_a, szef, in_a, receiver):
    receiver.answer_next(418, "nie dziś")
    with in_a():
        endpoint, receiver.secret = services.endpoint_create(actor=szef, url=receiver.url, events=["deal.won"])
    client_a.login_as(szef)

    client_a.post(f"/settings/webhooks/{endpoint.pk}/test/")
    with in_a():
        delivery = WebhookDelivery.objects.get()
        delivery_attempt(delivery_id=delivery.pk)
    page = client_a.get(f"/settings/webhooks/deliveries/{delivery.pk}/").content.decode()
    replayed = client_a.post(f"/settings/webhooks/deliveries/{delivery.pk}/replay/")
    with in_a():
        copy = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
        delivery_attempt(delivery_id=copy.pk)
        copy.refresh_from_db()

    assert "418" in page and "nie dziś" in page
    assert replayed.status_code == 302 and copy.status == DeliveryStatus.SUCCEEDED
    assert [r.signature_ok for r in receiver.received] == [True, True]


@pytest.mark.parametrize("who", ["pracownik", "kierownik"])
def test_other_ranks_cannot_open_webhook_settings(client_a, request, who, in_a, receiver):
    with in_a():
        endpoint, _secret = services.endpoint_create(actor=None, url=receiver.url, events=["deal.won"])
    client_a.login_as(request.getfixturevalue(who))

    assert client_a.get("/settings/webhooks/").status_code == 403
    assert client_a.post(f"/settings/webhooks/{endpoint.pk}/secret/").status_code == 403
    assert client_a.post(f"/settings/webhooks/{endpoint.pk}/delete/").status_code == 403
    with in_a():
        assert WebhookEndpoint.objects.count() == 1


def test_an_outsider_gets_404_for_this_companys_webhook_pages(client_b, outsider, in_a, receiver):
    with in_a():
        endpoint, _secret = services.endpoint_create(actor=None, url=receiver.url, events=["deal.won"])
        delivery = services.test_event_send(endpoint=endpoint, actor=None)
    client_b.login_as(outsider)

    assert client_b.get(f"/settings/webhooks/{endpoint.pk}/").status_code == 404
    assert client_b.post(f"/settings/webhooks/{endpoint.pk}/delete/").status_code == 404
    assert client_b.get(f"/settings/webhooks/deliveries/{delivery.pk}/").status_code == 404
    assert client_b.post(f"/settings/webhooks/deliveries/{delivery.pk}/replay/").status_code == 404
