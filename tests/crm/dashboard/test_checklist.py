"""The getting-started checklist on the home page of a new company: seen by the Szef,
ticked off by the company's own data, put away for the whole company."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User
from crm.categories.models import DealStage
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from crm.dashboard.models import ChecklistDismissal
from tenants.models import Company
from tenants.services import tenant_provision
from tests.conftest import TenantClient
from tests.public_site.helpers import GOOD_PASSWORD, unique_subdomain


@pytest.fixture
def fresh(companies, db) -> Company:
    return tenant_provision(
        name="Hurtownia Śrubex Sp. z o.o.",
        subdomain=unique_subdomain("start"),
        email="szef@srubex.test",
        password=GOOD_PASSWORD,
        owner_name="Anna Nowak",
        check_password=False,
    ).company


def _user(company: Company, *, role: str = Role.SZEF, email: str = "szef@srubex.test") -> User:
    with schema_context(company.schema_name):
        user = User.objects.filter(email=email).first()
        return user or User.objects.create_user(email=email, password=GOOD_PASSWORD, role=role, name="Piotr Pracownik")


def _home(company: Company, user: User) -> str:
    response = TenantClient(company).login_as(user).get("/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _done(body: str) -> dict[str, bool]:
    return {key: flag == "1" for key, flag in re.findall(r'data-step="(\w+)" data-done="([01])"', body)}


def test_szef_of_a_new_company_sees_four_steps_none_done(fresh):
    body = _home(fresh, _user(fresh))

    assert "Dzień dobry, Anna" in body
    assert 'data-testid="checklist"' in body
    assert "Zrobione: 0 z 4" in body
    assert _done(body) == {"staff": False, "customers": False, "pipeline": False, "email": False}
    for title in (
        "Zaproś pracowników",
        "Dodaj lub zaimportuj klientów",
        "Ustaw etapy sprzedaży",
        "Podłącz pocztę e-mail",
    ):
        assert title in body


def test_steps_tick_themselves_off_from_the_companys_data(fresh):
    szef = _user(fresh)
    with schema_context(fresh.schema_name):
        User.objects.create_user(email="kasia@srubex.test", password=GOOD_PASSWORD, role=Role.PRACOWNIK)
        Customer.objects.create(name="Pierwszy Klient")
    assert _done(_home(fresh, szef)) == {"staff": True, "customers": True, "pipeline": False, "email": False}

    with schema_context(fresh.schema_name):
        stage = DealStage.objects.create(name="Po wdrożeniu", color="#123456", position=99)
        DealStage.objects.filter(pk=stage.pk).update(created_at=timezone.now() + timedelta(minutes=5))
        settings_row = CompanySettings.objects.get_or_create(pk=1)[0]
        settings_row.smtp_host = "smtp.srubex.test"
        settings_row.save()
    body = _home(fresh, szef)
    assert _done(body) == {"staff": True, "customers": True, "pipeline": True, "email": True}
    assert "Zrobione: 4 z 4" in body
    assert "Gotowe, ukryj listę" in body


def test_reordering_the_stages_counts_as_setting_up_the_pipeline(fresh):
    with schema_context(fresh.schema_name):
        first, second = DealStage.objects.order_by("position", "id")[:2]
        DealStage.objects.filter(pk=first.pk).update(position=second.position + 1)
    assert _done(_home(fresh, _user(fresh)))["pipeline"] is True


def test_hidden_checklist_stays_hidden_for_every_szef_of_the_company(fresh):
    szef = _user(fresh)
    client = TenantClient(fresh).login_as(szef)

    response = client.post("/dashboard/checklist/hide/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert 'data-testid="checklist"' not in _home(fresh, szef)
    other_szef = _user(fresh, role=Role.SZEF, email="wspolnik@srubex.test")
    assert 'data-testid="checklist"' not in _home(fresh, other_szef)
    with schema_context(fresh.schema_name):
        assert ChecklistDismissal.objects.get().dismissed_by == szef


def test_hiding_twice_keeps_one_record(fresh):
    client = TenantClient(fresh).login_as(_user(fresh))
    client.post("/dashboard/checklist/hide/")
    client.post("/dashboard/checklist/hide/")

    with schema_context(fresh.schema_name):
        assert ChecklistDismissal.objects.count() == 1


def test_pracownik_does_not_see_the_checklist_and_cannot_hide_it(fresh):
    pracownik = _user(fresh, role=Role.PRACOWNIK, email="kasia@srubex.test")

    assert 'data-testid="checklist"' not in _home(fresh, pracownik)
    response = TenantClient(fresh).login_as(pracownik).post("/dashboard/checklist/hide/")
    assert response.status_code == 403
    with schema_context(fresh.schema_name):
        assert not ChecklistDismissal.objects.exists()


def test_hiding_needs_a_post(fresh):
    response = TenantClient(fresh).login_as(_user(fresh)).get("/dashboard/checklist/hide/")
    assert response.status_code == 405


def test_another_companys_szef_cannot_hide_our_checklist(fresh, company_b, outsider):
    signed_in_elsewhere = TenantClient(company_b).login_as(outsider)
    ours = TenantClient(fresh)
    ours.cookies = signed_in_elsewhere.cookies  # company B's session cookie, sent to our host

    response = ours.post("/dashboard/checklist/hide/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with schema_context(fresh.schema_name):
        assert not ChecklistDismissal.objects.exists()
