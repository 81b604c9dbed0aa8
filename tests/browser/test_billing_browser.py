"""A trial company goes read-only, Szef pays through (fake) Stripe Checkout, the
test delivers Stripe's signed webhook to the live server, and the company can
write again. The server is a real gunicorn process of its own, started with the
Stripe settings pointing at the local fake Stripe server."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from tenants.models import Company, CompanyStatus
from tests.browser.conftest import WEBHOOK_SECRET, server_url
from tests.support.fake_stripe import event, signature_header

_url = server_url
CREATE_TASK_JS = """async (title) => {
  const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
  const r = await fetch('/api/v1/tasks/', {method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-CSRFToken': token}, body: JSON.stringify({title})});
  return {status: r.status, body: await r.text()};
}"""


def _deliver_webhook(port: int, payload: dict[str, Any]) -> int:
    body = json.dumps(payload).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/billing/stripe/webhook/",
        data=body,
        method="POST",
        headers={
            "Host": settings.IMCRM_BASE_DOMAIN,
            "Content-Type": "application/json",
            "Stripe-Signature": signature_header(body, WEBHOOK_SECRET),
        },
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return int(response.status)


def test_read_only_trial_company_pays_and_can_write_again(billing_server, page, django_db_blocker):
    port, fake = billing_server
    with django_db_blocker.unblock():
        company = Company.objects.get(subdomain="alfa")
        company.status = CompanyStatus.READ_ONLY
        company.trial_ends_at = timezone.now() - timedelta(days=2)
        company.save()

    page.goto(_url(port, "alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(_url(port, "alfa", "/"))
    banner = page.get_by_test_id("billing-banner")
    assert banner.get_attribute("data-status") == "read_only"
    refused = page.evaluate(CREATE_TASK_JS, "Oddzwonić do klienta")
    assert refused["status"] == 402, refused
    assert "tylko do odczytu" in json.loads(refused["body"])["detail"]

    banner.get_by_role("link").click()
    page.wait_for_url(_url(port, "alfa", "/settings/billing/"))
    page.get_by_test_id("plan-start").get_by_role("button", name="miesięcznie").click()
    page.wait_for_url(f"{fake.url}/checkout/**")
    session_id = page.url.rsplit("/", 1)[1]
    assert fake.sessions[session_id]["client_reference_id"] == str(company.pk)

    # Szef pays on Stripe; Stripe tells the server through the signed webhook.
    session = fake.checkout_complete(session_id)
    assert _deliver_webhook(port, event("checkout.session.completed", session)) == 200
    with django_db_blocker.unblock():
        company.refresh_from_db()
        assert company.status == CompanyStatus.ACTIVE

    page.goto(_url(port, "alfa", "/settings/billing/"))
    assert page.get_by_test_id("billing-status").get_attribute("data-status") == "active"
    assert page.get_by_test_id("billing-banner").count() == 0
    created = page.evaluate(CREATE_TASK_JS, "Oddzwonić do klienta")
    assert created["status"] == 201, created
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(_url(port, "alfa", "/settings/billing/"))
    assert page.get_by_test_id("open-portal").is_visible()
