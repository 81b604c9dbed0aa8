from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client

from billing_saas.models import BillingAccount
from crm.accounts.models import User
from tenants.db import connection
from tenants.models import Company
from tenants.routing import tenant_lookup_invalidate
from tests.support.fake_stripe import FakeStripe, event, signature_header
from tests.support.totp import frozen_clock, totp_code

WEBHOOK_SECRET = "whsec_test_imcrm_billing"
OPERATOR_PASSWORD = "Operator-haslo-123"


@pytest.fixture(autouse=True)
def _fresh_host_lookup(companies: Any) -> Iterator[None]:
    """Tests change companies inside a rolled-back transaction: neither the
    per-process host cache nor the session-wide Company objects may keep the
    changed state for the next test."""
    saved = [(company, dict(company.__dict__)) for company in (companies.a, companies.b)]
    tenant_lookup_invalidate()
    yield
    tenant_lookup_invalidate()
    for company, state in saved:
        company.__dict__.clear()
        company.__dict__.update(state)


@pytest.fixture
def fake_stripe(settings: Any) -> Iterator[FakeStripe]:
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_imcrm"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    try:
        yield fake
    finally:
        fake.stop()


def company_set(company: Company, **fields: Any) -> Company:
    connection.set_schema_to_public()
    company.refresh_from_db()
    for name, value in fields.items():
        setattr(company, name, value)
    company.save()
    return company


def account_of(company: Company) -> BillingAccount:
    connection.set_schema_to_public()
    account, _created = BillingAccount.objects.get_or_create(company=company)
    return account


def webhook_post(
    client: Client, payload: dict[str, Any] | bytes, *, secret: str = WEBHOOK_SECRET, sign: bool = True
) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    extra = {"HTTP_STRIPE_SIGNATURE": signature_header(body, secret)} if sign else {}
    return client.post("/billing/stripe/webhook/", data=body, content_type="application/json", **extra)


def deliver(client: Client, event_type: str, obj: dict[str, Any], **kwargs: Any) -> Any:
    return webhook_post(client, event(event_type, obj, **kwargs))


def random_ip() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@pytest.fixture
def public_ip_client(companies: Any, db: Any) -> Client:
    """A public-host client with an IP of its own (login throttling counts per IP)."""
    return Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())


def operator_create(*, with_totp: bool = True, is_staff: bool = True) -> tuple[User, str]:
    connection.set_schema_to_public()
    email = f"op{random.randint(10**6, 10**7)}@imcrm.test"
    user = User.objects.create_user(email, OPERATOR_PASSWORD, name="Olek Operator", is_staff=is_staff)
    secret = generate_totp_secret()
    if with_totp:
        TOTP.activate(user, secret)
    return user, secret


def _form_errors(response: Any) -> str:
    import re

    html = response.content.decode()
    return " | ".join(re.findall(r"(?:invalid-feedback|alert)[^>]*>([^<]+)", html)) or html[:300]


def operator_sign_in(client: Client, user: User, secret: str | None) -> Any:
    """The real sign-in: password at /operator/accounts/login/, then the TOTP code (on a
    frozen clock: the code cannot expire between computing and checking it)."""
    with frozen_clock():
        response = client.post("/operator/accounts/login/", {"login": user.email, "password": OPERATOR_PASSWORD})
        if secret is not None:
            assert response.status_code == 302, _form_errors(response)
            assert "/operator/accounts/2fa/authenticate/" in response["Location"]
            response = client.post("/operator/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    return response


@pytest.fixture
def operator(companies: Any, db: Any) -> tuple[User, str]:
    return operator_create()


@pytest.fixture
def operator_client(public_ip_client: Client, operator: tuple[User, str]) -> Client:
    user, secret = operator
    response = operator_sign_in(public_ip_client, user, secret)
    assert response.status_code == 302, _form_errors(response)
    return public_ip_client


def ts(moment: datetime) -> int:
    return int(moment.timestamp())
