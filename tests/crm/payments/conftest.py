"""Company A's own Stripe account, served by the local fake Stripe (tests/support/fake_stripe.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from crm.company.crypto import secret_encrypt
from crm.payments.models import StripeGateway
from tests.support.fake_stripe import FakeStripe, signature_header

PUBLISHABLE = "pk_test_AlfaPublic12345"
SECRET = "sk_test_AlfaSecret12345"
WEBHOOK_SECRET = "whsec_AlfaSigning12345"
OTHER_WEBHOOK_SECRET = "whsec_BetaSigning67890"


@pytest.fixture
def fake_stripe(settings: Any) -> Iterator[FakeStripe]:
    fake = FakeStripe().start()
    settings.STRIPE_API_BASE = fake.url
    try:
        yield fake
    finally:
        fake.stop()


def gateway_set(*, enabled: bool = True, secret: str = SECRET, webhook_secret: str = WEBHOOK_SECRET) -> StripeGateway:
    """Store the gateway row of the active schema (call inside it)."""
    gateway = StripeGateway.current()
    gateway.enabled = enabled
    gateway.publishable_key = PUBLISHABLE
    gateway.secret_key_encrypted = secret_encrypt(secret)
    gateway.webhook_secret_encrypted = secret_encrypt(webhook_secret)
    gateway.save()
    return gateway


@pytest.fixture
def gateway_a(in_a: Callable[[], Any], fake_stripe: FakeStripe) -> FakeStripe:
    """Company A takes card payments through its own (fake) Stripe account."""
    with in_a():
        gateway_set()
    return fake_stripe


def webhook_post(client: Client, event: dict[str, Any] | bytes, *, secret: str = WEBHOOK_SECRET) -> Any:
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return client.post(
        "/payments/stripe/webhook/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature_header(body, secret),
    )
