"""Browser tests' shared servers: `billing_server`, a gunicorn whose Stripe (the
operator's billing and the companies' own card payments) is a local fake Stripe."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from billing_saas.models import BillingAccount, StripeEvent, TrialReminder
from tenants.db import connection
from tenants.models import Company
from tests.support.fake_stripe import FakeStripe
from tests.support.live import ROOT, _stop, _wait_http, child_env, free_port

WEBHOOK_SECRET = "whsec_browser_billing"


@pytest.fixture
def billing_server(committed: Any, django_db_blocker: Any) -> Iterator[tuple[int, FakeStripe]]:
    """gunicorn with STRIPE_* pointing at a fake Stripe; restores company A afterwards."""
    fake = FakeStripe().start()
    port = free_port()
    with django_db_blocker.unblock():
        company = Company.objects.get(subdomain="alfa")
        saved = {"status": company.status, "trial_ends_at": company.trial_ends_at, "plan_id": company.plan_id}
        env = child_env(
            PORT=str(port),
            IMCRM_PUBLIC_PORT=str(port),
            STRIPE_SECRET_KEY="sk_test_browser",
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            STRIPE_API_BASE=fake.url,
        )
    log = open(ROOT / ".local" / "test-server-billing.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "4"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_http(port, settings.IMCRM_BASE_DOMAIN, proc)
        yield port, fake
    finally:
        _stop(proc)
        log.close()
        fake.stop()
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            StripeEvent.objects.all().delete()
            TrialReminder.objects.filter(company=company).delete()
            BillingAccount.objects.filter(company=company).delete()
            BillingAccount.objects.create(company=company)
            company.refresh_from_db()
            for name, value in saved.items():
                setattr(company, name, value)
            company.save()


def server_url(port: int, sub: str | None, path: str) -> str:
    host = f"{sub}.{settings.IMCRM_BASE_DOMAIN}" if sub else settings.IMCRM_BASE_DOMAIN
    return f"http://{host}:{port}{path}"
