"""A Stripe webhook whose handler raises: 5xx, everything it wrote is rolled back, and
Stripe's retried delivery succeeds exactly once (a third delivery is a duplicate)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import pytest
from django.test import Client

from tenants.models import Company

SECRET = "whsec_test_" + secrets.token_hex(8)


def _signed(payload: str) -> dict[str, str]:
    stamp = int(time.time())
    signature = hmac.new(SECRET.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return {"HTTP_STRIPE_SIGNATURE": f"t={stamp},v1={signature}"}


@pytest.fixture
def webhook(settings: Any, public_client: Client) -> Any:
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = "sk_test_fault"

    def deliver(event_id: str, event_type: str) -> Any:
        payload = json.dumps(
            {
                "id": event_id,
                "object": "event",
                "type": event_type,
                "created": int(time.time()),
                "livemode": False,
                "data": {"object": {"object": "invoice", "id": "in_fault"}},
            }
        )
        return public_client.post(
            "/billing/stripe/webhook/", payload, content_type="application/json", **_signed(payload)
        )

    return deliver


def test_failing_webhook_handler_answers_5xx_rolls_back_and_the_retry_applies_once(webhook, company_a, monkeypatch):
    from billing_saas import webhooks
    from billing_saas.models import StripeEvent

    calls: list[int] = []

    def flaky(obj: Any) -> None:
        calls.append(1)
        Company.objects.filter(pk=company_a.pk).update(name=f"Zmieniona {len(calls)}")
        if len(calls) == 1:
            raise RuntimeError("handler failed half-way")

    monkeypatch.setitem(webhooks.HANDLERS, "invoice.fault_test", flaky)
    event_id = "evt_fault_" + secrets.token_hex(6)
    original_name = Company.objects.get(pk=company_a.pk).name

    first = webhook(event_id, "invoice.fault_test")
    assert first.status_code >= 500
    assert Company.objects.get(pk=company_a.pk).name == original_name  # the half-done write is gone
    assert not StripeEvent.objects.filter(id=event_id).exists()

    retry = webhook(event_id, "invoice.fault_test")
    assert retry.status_code == 200
    assert Company.objects.get(pk=company_a.pk).name == "Zmieniona 2"

    again = webhook(event_id, "invoice.fault_test")
    assert again.status_code == 200
    assert again.json().get("duplicate") is True
    assert len(calls) == 2
    assert StripeEvent.objects.filter(id=event_id).count() == 1
