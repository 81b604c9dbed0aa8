from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django_tenants.utils import schema_context
from freezegun import freeze_time

from billing_saas.lifecycle import company_lifecycle_advance
from billing_saas.models import TrialReminder
from billing_saas.reminders import trial_reminders_send
from billing_saas.tasks import lifecycle_advance
from billing_saas.tasks import trial_reminders_send as trial_reminders_task
from crm.tasks.models import Task
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import account_of, company_set, deliver

T0 = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)  # the company signs up (day 1)


@pytest.fixture(autouse=True)
def _company_b_pays(company_b):
    """Only company A's clock matters here: B is a paying company."""
    company_set(company_b, status=CompanyStatus.ACTIVE)


def _day(n: int, hours: int = 0) -> datetime:
    """Moment on day n of the company's life (day 1 = signup day)."""
    return T0 + timedelta(days=n - 1, hours=hours)


def _status(company) -> str:
    company.refresh_from_db()
    return str(company.status)


def _tasks(company) -> int:
    with schema_context(company.schema_name):
        return Task.objects.count()


def test_full_trial_timeline_banner_reminders_read_only_suspended_and_restored_by_payment(
    company_a, szef, pracownik, client_a, public_client, fake_stripe, mailoutbox
):
    company_set(company_a, status=CompanyStatus.TRIAL, created_at=T0, trial_ends_at=T0 + timedelta(days=14))

    with freeze_time(_day(2)):
        page = client_a.login_as(pracownik).get("/billing/locked/").content.decode()
        assert "Okres próbny: zostało 13 dni." in page
        assert "Płatnościami zajmuje się Szef" in page
        assert trial_reminders_send() == 0

    with freeze_time(_day(12, hours=1)):  # 2 days 23 hours left
        assert trial_reminders_task() == 1
        assert trial_reminders_task() == 0  # beat running twice sends nothing more
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == ["szef@alfa.test"]
        assert "za 3 dni" in mailoutbox[0].subject
        assert "/settings/billing/" in mailoutbox[0].body
        page = client_a.login_as(szef).get("/billing/locked/").content.decode()
        assert "Okres próbny: zostało 3 dni." in page
        assert "Wybierz plan" in page

    with freeze_time(_day(14, hours=1)):  # 23 hours left
        assert trial_reminders_send() == 1
        assert trial_reminders_send() == 0
        assert len(mailoutbox) == 2
        assert "jutro" in mailoutbox[1].subject
        assert TrialReminder.objects.filter(company=company_a).count() == 2
        assert client_a.login_as(szef).post("/api/v1/tasks/", {"title": "Ostatni dzień próby"}).status_code == 201

    with freeze_time(_day(15, hours=1)):  # the trial ended an hour ago, before beat ran
        client_a.login_as(szef)
        refused = client_a.post("/api/v1/tasks/", {"title": "Po końcu próby"})
        assert refused.status_code == 402
        assert "tylko do odczytu" in refused.json()["detail"]
        assert _tasks(company_a) == 1
        assert client_a.get("/settings/billing/").status_code == 200
        assert client_a.get("/api/v1/tasks/").status_code == 200  # reading still works
        assert lifecycle_advance() == {"read_only": 1, "suspended": 0}
        assert _status(company_a) == CompanyStatus.READ_ONLY
        assert trial_reminders_send() == 0
        assert len(mailoutbox) == 2

    with freeze_time(_day(44, hours=23)):  # grace not over yet
        assert company_lifecycle_advance()["suspended"] == 0
        assert _status(company_a) == CompanyStatus.READ_ONLY

    with freeze_time(_day(45, hours=9)):
        assert company_lifecycle_advance() == {"read_only": 0, "suspended": 1}
        assert _status(company_a) == CompanyStatus.SUSPENDED
        client_a.login_as(szef)
        blocked = client_a.get("/api/v1/tasks/")
        assert blocked.status_code == 402
        page = client_a.get("/settings/billing/")
        assert page.status_code == 200
        assert 'data-status="suspended"' in page.content.decode()

        # Szef pays: Checkout on the fake Stripe, then Stripe's webhook.
        response = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})
        assert response.status_code == 303
        session_id = response["Location"].rsplit("/", 1)[1]
        session = fake_stripe.checkout_complete(session_id)
        delivered = deliver(public_client, "checkout.session.completed", session)
        assert delivered.status_code == 200
        assert _status(company_a) == CompanyStatus.ACTIVE
        assert client_a.post("/api/v1/tasks/", {"title": "Znowu działamy"}).status_code == 201
        assert _tasks(company_a) == 2  # nothing was deleted on the way
        assert account_of(company_a).read_only_since is None


def test_a_trial_past_grace_counts_as_suspended_even_before_beat_stores_it(company_a, szef, client_a):
    company_set(company_a, status=CompanyStatus.TRIAL, trial_ends_at=T0)
    with freeze_time(T0 + timedelta(days=31)):
        response = client_a.login_as(szef).get("/api/v1/tasks/")
        assert response.status_code == 402
        assert "zawieszone" in response.json()["detail"]
        assert company_lifecycle_advance() == {"read_only": 0, "suspended": 1}
        assert _status(company_a) == CompanyStatus.SUSPENDED


def test_reminders_go_to_every_active_szef_in_their_language(company_a, szef, mailoutbox):
    from crm.accounts.models import Role, User

    with schema_context(company_a.schema_name):
        User.objects.create_user("drugi.szef@alfa.test", "x", role=Role.SZEF, language="en")
        User.objects.create_user("byly.szef@alfa.test", "x", role=Role.SZEF, is_active=False)
    company_set(company_a, status=CompanyStatus.TRIAL, trial_ends_at=T0 + timedelta(days=3))
    with freeze_time(T0 + timedelta(hours=1)):
        assert trial_reminders_send() == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["drugi.szef@alfa.test", "szef@alfa.test"]
    english = next(m for m in mailoutbox if m.to == ["drugi.szef@alfa.test"])
    assert "ends in 3 days" in english.subject


def test_extending_the_trial_allows_new_reminders_for_the_new_end(company_a, mailoutbox):
    company_set(company_a, status=CompanyStatus.TRIAL, trial_ends_at=T0 + timedelta(hours=12))
    with freeze_time(T0):
        assert trial_reminders_send() == 1
        company_set(company_a, trial_ends_at=T0 + timedelta(days=2))
        assert trial_reminders_send() == 1
        assert trial_reminders_send() == 0
    assert len(mailoutbox) == 2


def test_paying_companies_get_no_trial_reminders_and_are_not_made_read_only(company_a, mailoutbox):
    company_set(company_a, status=CompanyStatus.ACTIVE, trial_ends_at=T0)
    with freeze_time(T0 - timedelta(days=1)):
        assert trial_reminders_send() == 0
    with freeze_time(T0 + timedelta(days=60)):
        assert company_lifecycle_advance() == {"read_only": 0, "suspended": 0}
    assert _status(company_a) == CompanyStatus.ACTIVE
    assert mailoutbox == []
