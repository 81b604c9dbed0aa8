"""The company's own Stripe account, through the official `stripe` library.

Every call carries the company's secret key on its own `StripeClient` (never the
module-level `stripe.api_key`, which belongs to the operator's billing, billing_saas).
`STRIPE_API_BASE` (tests: tests/support/fake_stripe.py) replaces Stripe's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings

from crm.company.crypto import secret_decrypt
from crm.payments.models import StripeGateway

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Keys:
    publishable_key: str
    secret_key: str
    webhook_secret: str


def gateway_keys(gateway: StripeGateway | None = None) -> Keys:
    """The stored keys in plain text ("" for a missing or undecryptable one)."""
    gateway = gateway or StripeGateway.current()
    return Keys(
        publishable_key=gateway.publishable_key,
        secret_key=secret_decrypt(gateway.secret_key_encrypted) or "",
        webhook_secret=secret_decrypt(gateway.webhook_secret_encrypted) or "",
    )


def stripe_client(secret_key: str) -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE.rstrip("/") if settings.STRIPE_API_BASE else ""
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": base} if base else None,
        max_network_retries=2,
        http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
    )


def field(obj: Any, *path: str) -> Any:
    """obj[a][b]... or None, for Stripe objects and plain dicts alike."""
    for key in path:
        if obj is None:
            return None
        try:
            obj = obj[key]
        except (KeyError, TypeError, IndexError):
            return None
    return obj
