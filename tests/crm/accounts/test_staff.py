"""Ranks, deactivation with hand-over, reactivation; a company always keeps an active Szef."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User
from crm.accounts.services import handover_types
from crm.categories.models import DealStatus
from crm.contacts.models import Customer
from crm.sales.models import Deal
from crm.tasks.models import Task
from tests.crm.accounts.factories import UserFactory
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory
from tests.support.companies import company_on_plan_with_limits


@pytest.fixture
def work_of_pracownik(company_a, pracownik):
    with schema_context(company_a.schema_name):
        customers = [CustomerFactory(name=f"Klient {i}", owner=pracownik) for i in range(3)]
        tasks = [TaskFactory(title=f"Zadanie {i}", assignee=pracownik, customer=customers[0]) for i in range(2)]
        status = DealStatus.objects.get(code="in_progress")
        deals = [
            DealFactory(name=f"Szansa {i}", customer=customers[1], owner=pracownik, status=status, value=Decimal(10))
            for i in range(4)
        ]
    return customers, tasks, deals


def takers(default, **by_type):
    """The deactivation form's "who takes over" fields, one per record type with an owner:
    `default` for every type, except those named (`customers=kierownik`)."""
    return {f"{t.key_plural}_to": by_type.get(t.key_plural, default).pk for t in handover_types()}


def test_users_page_lists_staff_with_ranks(client_a, szef):
    html = client_a.login_as(szef).get("/settings/users/").content.decode()
    assert "szef@alfa.test" in html and "pracownik@alfa.test" in html
    assert "Pracownik" in html


def test_szef_changes_a_rank(client_a, szef, pracownik, company_a):
    response = client_a.login_as(szef).post(f"/settings/users/{pracownik.pk}/role/", {"role": "kierownik"})
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=pracownik.pk).role == Role.KIEROWNIK


def test_last_active_szef_cannot_be_demoted(client_a, szef, company_a):
    response = client_a.login_as(szef).post(f"/settings/users/{szef.pk}/role/", {"role": "pracownik"})
    assert response.status_code == 400
    assert "jedynym aktywnym Szefem" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=szef.pk).role == Role.SZEF


def test_last_active_szef_cannot_be_deactivated(client_a, szef, pracownik, company_a):
    response = client_a.login_as(szef).post(f"/settings/users/{szef.pk}/deactivate/", takers(pracownik))
    assert response.status_code == 400
    assert "jedynym aktywnym Szefem" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=szef.pk).is_active


def test_a_szef_can_step_down_once_another_szef_exists(client_a, szef, pracownik, company_a):
    client_a.login_as(szef)
    client_a.post(f"/settings/users/{pracownik.pk}/role/", {"role": "szef"})
    assert client_a.post(f"/settings/users/{szef.pk}/role/", {"role": "kierownik"}).status_code == 302
    with schema_context(company_a.schema_name):
        assert User.objects.filter(role=Role.SZEF, is_active=True).count() == 1


def test_an_inactive_szef_does_not_count_as_the_company_szef(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        UserFactory(email="stary-szef@alfa.test", role=Role.SZEF, is_active=False)
    response = client_a.login_as(szef).post(f"/settings/users/{szef.pk}/role/", {"role": "pracownik"})
    assert response.status_code == 400


def test_deactivation_asks_who_takes_over_and_moves_everything(
    client_a, szef, pracownik, kierownik, company_a, work_of_pracownik
):
    customers, tasks, deals = work_of_pracownik
    client_a.login_as(szef)
    page = client_a.get(f"/settings/users/{pracownik.pk}/deactivate/").content.decode()
    assert "Klientów przejmuje" in page and "<strong>3</strong>" in page and "<strong>4</strong>" in page
    response = client_a.post(
        f"/settings/users/{pracownik.pk}/deactivate/",
        takers(szef, customers=kierownik, deals=kierownik),
    )
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert not User.objects.get(pk=pracownik.pk).is_active
        assert set(Customer.objects.filter(pk__in=[c.pk for c in customers]).values_list("owner", flat=True)) == {
            kierownik.pk
        }
        assert set(Task.objects.filter(pk__in=[t.pk for t in tasks]).values_list("assignee", flat=True)) == {szef.pk}
        assert set(Deal.objects.filter(pk__in=[d.pk for d in deals]).values_list("owner", flat=True)) == {kierownik.pk}
        assert not Customer.objects.filter(owner=pracownik).exists()


def test_deactivation_without_a_taker_is_refused(client_a, szef, pracownik, company_a, work_of_pracownik):
    response = client_a.login_as(szef).post(f"/settings/users/{pracownik.pk}/deactivate/", {"customers_to": szef.pk})
    assert response.status_code == 400
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=pracownik.pk).is_active
        assert Customer.objects.filter(owner=pracownik).count() == 3


def test_work_cannot_be_handed_to_the_person_leaving(client_a, szef, pracownik, company_a):
    response = client_a.login_as(szef).post(
        f"/settings/users/{pracownik.pk}/deactivate/",
        takers(szef, customers=pracownik),
    )
    assert response.status_code == 400
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=pracownik.pk).is_active


def test_deactivated_person_can_no_longer_sign_in_or_use_the_api(client_a, szef, pracownik, company_a, api_pracownik):
    other = type(client_a)(company_a)
    other.login_as(pracownik)
    client_a.login_as(szef).post(
        f"/settings/users/{pracownik.pk}/deactivate/",
        takers(szef),
    )
    assert other.get("/").status_code == 302  # their open session ended
    assert api_pracownik.get("/api/v1/").status_code == 401
    client_a.logout()
    client_a.post("/accounts/login/", {"login": "pracownik@alfa.test", "password": "Haslo-testowe-123"})
    assert client_a.get("/").status_code == 302


def test_szef_reactivates_a_person(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        User.objects.filter(pk=pracownik.pk).update(is_active=False)
    assert client_a.login_as(szef).post(f"/settings/users/{pracownik.pk}/reactivate/").status_code == 302
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=pracownik.pk).is_active


def test_reactivation_respects_the_seat_limit(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        User.objects.filter(pk=pracownik.pk).update(is_active=False)
        seats = User.objects.filter(is_active=True).count()
    company_on_plan_with_limits(company_a, seat_limit=seats)
    response = client_a.login_as(szef).post(f"/settings/users/{pracownik.pk}/reactivate/")
    assert response.status_code == 400
    assert "ten limit jest już wykorzystany" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not User.objects.get(pk=pracownik.pk).is_active


# --- the API -----------------------------------------------------------------------------


def test_api_lists_users_with_the_contract_fields(client_a, szef):
    rows = client_a.login_as(szef).get("/api/v1/settings/users/").json()["results"]
    assert {tuple(sorted(r)) for r in rows} == {("email", "id", "is_active", "name", "role")}
    assert {r["email"] for r in rows} >= {"szef@alfa.test", "pracownik@alfa.test"}


def test_api_refuses_demoting_or_deactivating_the_last_szef(client_a, szef, company_a):
    client_a.login_as(szef)
    demote = client_a.patch(
        f"/api/v1/settings/users/{szef.pk}/", {"role": "kierownik"}, content_type="application/json"
    )
    assert demote.status_code == 400
    assert "jedynym aktywnym Szefem" in str(demote.json())
    deactivate = client_a.patch(
        f"/api/v1/settings/users/{szef.pk}/", {"is_active": False}, content_type="application/json"
    )
    assert deactivate.status_code == 400
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=szef.pk).is_active and User.objects.get(pk=szef.pk).role == Role.SZEF


def test_api_changes_rank_and_deactivates_with_hand_over(
    client_a, szef, pracownik, kierownik, company_a, work_of_pracownik
):
    client_a.login_as(szef)
    changed = client_a.patch(
        f"/api/v1/settings/users/{pracownik.pk}/", {"role": "kierownik"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["role"] == "kierownik"
    off = client_a.patch(
        f"/api/v1/settings/users/{pracownik.pk}/",
        {"is_active": False, "reassign_to": kierownik.pk},
        content_type="application/json",
    )
    assert off.status_code == 200 and off.json()["is_active"] is False
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(owner=kierownik).count() == 3
        assert Task.objects.filter(assignee=kierownik).count() == 2
        assert Deal.objects.filter(owner=kierownik).count() == 4
    back = client_a.patch(
        f"/api/v1/settings/users/{pracownik.pk}/", {"is_active": True}, content_type="application/json"
    )
    assert back.json()["is_active"] is True


def test_api_rejects_an_unknown_rank(client_a, szef, pracownik):
    response = client_a.login_as(szef).patch(
        f"/api/v1/settings/users/{pracownik.pk}/", {"role": "prezes"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_api_does_not_change_email(client_a, szef, pracownik, company_a):
    client_a.login_as(szef).patch(
        f"/api/v1/settings/users/{pracownik.pk}/", {"email": "inny@alfa.test"}, content_type="application/json"
    )
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=pracownik.pk).email == "pracownik@alfa.test"


def test_outsider_cannot_change_company_a_staff(client_b, outsider, pracownik, company_a):
    client_b.login_as(outsider)
    response = client_b.patch(
        f"/api/v1/settings/users/{pracownik.pk}/", {"role": "szef"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client_b.post(f"/settings/users/{pracownik.pk}/role/", {"role": "szef"}).status_code == 404
    with schema_context(company_a.schema_name):
        assert User.objects.get(pk=pracownik.pk).role == Role.PRACOWNIK
