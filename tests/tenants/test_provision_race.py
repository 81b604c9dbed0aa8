"""Concurrent signups, for real: threads with their own database connections and
committed transactions (the `committed` fixture)."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from crm.accounts.models import User
from tenants import services
from tenants.models import Company, CompanyStatus, Domain
from tenants.pool import pool_fill, pool_size
from tests.public_site.helpers import GOOD_PASSWORD, signup_data, unique_subdomain


def _run_together(fns: list[Callable[[], Any]], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Run each fn in its own thread; all of them reach the pool claim together."""
    barrier = threading.Barrier(len(fns), timeout=20)
    real_claim = services.pool_claim
    local = threading.local()

    def claim_together(reserved_id: int | None = None) -> Any:
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()  # everybody has passed validation: the subdomain looked free to all
        return real_claim(reserved_id)

    monkeypatch.setattr(services, "pool_claim", claim_together)
    results: list[Any] = [None] * len(fns)

    def worker(i: int, fn: Callable[[], Any]) -> None:
        try:
            results[i] = fn()
        except BaseException as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_signups_racing_for_one_address_exactly_one_wins(committed, monkeypatch):
    pool_fill(target=2)
    pooled_before = pool_size()
    sub = unique_subdomain("wyscig")

    emails = ["pierwszy@wyscig.test", "drugi@wyscig.test"]

    def signup(email: str) -> Any:
        return lambda: services.tenant_provision(name="Wyścig", subdomain=sub, email=email, password=GOOD_PASSWORD)

    results = _run_together([signup(e) for e in emails], monkeypatch)

    winners = [r for r in results if isinstance(r, services.ProvisionResult)]
    losers = [r for r in results if isinstance(r, services.ProvisioningError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert losers[0].field == "subdomain"
    assert losers[0].message == "Ten adres jest już zajęty."
    assert Company.objects.filter(subdomain=sub).count() == 1
    assert Domain.objects.filter(domain=f"{sub}.{settings.IMCRM_BASE_DOMAIN}").count() == 1
    company = Company.objects.get(subdomain=sub)
    winner_email = emails[results.index(winners[0])]
    with schema_context(company.schema_name):
        assert list(User.objects.values_list("email", flat=True)) == [winner_email]
    # the loser's claimed schema went back to the pool: only the winner's is gone
    assert pool_size() == pooled_before - 1


def test_concurrent_signups_never_get_the_same_pooled_schema(committed, monkeypatch):
    pool_fill(target=3)
    pooled = set(Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).values_list("pk", flat=True))
    subs = [unique_subdomain("rownolegle") for _ in range(3)]

    def signup(sub: str) -> Any:
        return lambda: services.tenant_provision(
            name=sub, subdomain=sub, email=f"szef@{sub}.test", password=GOOD_PASSWORD
        )

    results = _run_together([signup(s) for s in subs], monkeypatch)

    assert all(isinstance(r, services.ProvisionResult) for r in results), results
    ids = [r.company.pk for r in results]
    assert len(set(ids)) == 3
    assert set(ids) <= pooled
    for sub in subs:
        company = Company.objects.get(subdomain=sub)
        assert company.status == CompanyStatus.TRIAL
        with schema_context(company.schema_name):
            assert list(User.objects.values_list("email", flat=True)) == [f"szef@{sub}.test"]


def test_the_signup_page_that_loses_the_race_says_the_address_is_taken_and_keeps_the_input(committed, monkeypatch):
    pool_fill(target=2)
    sub = unique_subdomain("wyscig-www")
    forms = [
        signup_data(subdomain=sub, company_name="Pierwsza Firma", email="pierwsza@firma.test"),
        signup_data(subdomain=sub, company_name="Druga Firma", email="druga@firma.test"),
    ]

    def post(data: dict[str, Any]) -> Any:
        return lambda: Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN).post("/signup/", data)

    responses = _run_together([post(forms[0]), post(forms[1])], monkeypatch)

    assert sorted(r.status_code for r in responses) == [200, 302], responses
    lost_index = 0 if responses[0].status_code == 200 else 1
    lost = html.unescape(responses[lost_index].content.decode())
    kept = forms[lost_index]
    assert "Ten adres jest już zajęty." in lost
    for field in ("company_name", "subdomain", "email"):
        assert f'value="{kept[field]}"' in lost
    assert Company.objects.filter(subdomain=sub).count() == 1
    assert schema_exists("c_" + sub.replace("-", "_"))
