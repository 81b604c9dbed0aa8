"""A restricted Pracownik never reads the name of a customer hidden from him (issue 13):
tasks shared with everyone count only where their customer and deal are his, and no
list, card, picker, calendar, board, report or API answer shows such a name."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.sales.selectors import deals_visible_to
from crm.tasks.selectors import tasks_visible_to
from tests.crm.sales.helpers import customer_make, deal_make, task_make
from tests.support.api_tokens import api_headers

HIDDEN = "Tajny Klient Szefa"


@pytest.fixture
def world(company_a, szef, pracownik, company_settings_a):
    """Szef's customer (hidden from a restricted Pracownik) with a shared task and a
    deal; the Pracownik's own customer with a shared task."""
    company_settings_a(restrict_pracownik_to_own=True)
    now = timezone.now()
    with schema_context(company_a.schema_name):
        hidden = customer_make(name=HIDDEN, owner=szef)
        own = customer_make(name="Klient Piotra", owner=pracownik)
        hidden_deal = deal_make(name="Kontrakt szefa", customer=hidden, owner=szef)
        return {
            "hidden": hidden,
            "own": own,
            "hidden_deal": hidden_deal,
            "hidden_task": task_make(
                title="Telefon do tajnego",
                customer=hidden,
                assignee=szef,
                created_by=szef,
                visibility="everyone",
                due_at=now,
            ),
            "deal_task": task_make(
                title="Oferta w kontrakcie",
                customer=hidden,
                deal=hidden_deal,
                assignee=pracownik,
                created_by=szef,
                visibility="everyone",
                due_at=now,
            ),
            "shared": task_make(title="Wspólne bez klienta", assignee=szef, created_by=szef, visibility="everyone"),
            "own_task": task_make(
                title="Telefon do Piotra",
                customer=own,
                assignee=szef,
                created_by=szef,
                visibility="everyone",
                due_at=now,
            ),
            "other_customer": customer_make(name="Klient Szefa Z Szansą Piotra", owner=szef),
        }


def test_shared_tasks_of_a_hidden_customer_or_deal_are_not_visible(company_a, pracownik, world):
    with schema_context(company_a.schema_name):
        visible = set(tasks_visible_to(pracownik))
        deals = set(deals_visible_to(pracownik))

    assert visible == {world["shared"], world["own_task"]}
    assert world["hidden_deal"] not in deals


def test_a_deal_given_to_the_pracownik_makes_its_customer_his_to_see(client_a, company_a, szef, pracownik, world):
    with schema_context(company_a.schema_name):
        deal = deal_make(name="Szansa Piotra", customer=world["other_customer"], owner=pracownik)
    client_a.login_as(pracownik)

    assert client_a.get(f"/deals/{deal.pk}/").status_code == 200
    assert client_a.get(f"/customers/{world['other_customer'].pk}/").status_code == 200
    assert "Klient Szefa Z Szansą Piotra" in client_a.get("/customers/").content.decode()


def test_no_page_or_picker_shows_the_hidden_customers_name(client_a, company_a, pracownik, world):
    client_a.login_as(pracownik)
    today = timezone.localdate().isoformat()
    pages = [
        "/",
        "/customers/",
        "/customers/?q=tajny",
        "/tasks/?view=all",
        "/tasks/board/",
        "/tasks/board/?by=state",
        f"/tasks/calendar/?date={today}",
        f"/tasks/calendar/?view=week&date={today}",
        "/deals/",
        "/deals/list/",
        "/deals/new/",
        "/tasks/new/",
        "/deals/options/customers/?q=tajny",
        f"/deals/options/deals/?customer={world['hidden'].pk}",
        "/reports/",
    ]
    for url in pages:
        response = client_a.get(url)
        assert response.status_code == 200, url
        assert HIDDEN not in response.content.decode(), url
    assert client_a.get(f"/tasks/{world['hidden_task'].pk}/").status_code == 404
    assert client_a.get(f"/tasks/{world['deal_task'].pk}/").status_code == 404
    assert client_a.get(f"/deals/{world['hidden_deal'].pk}/").status_code == 404
    assert client_a.get(f"/customers/{world['hidden'].pk}/").status_code == 404


def test_no_api_answer_shows_the_hidden_customer(client_a, company_a, pracownik, world):
    headers = api_headers(company_a, pracownik)
    for url in ["/api/v1/tasks/", "/api/v1/deals/", "/api/v1/customers/", "/api/v1/dashboard/?days=30"]:
        response = client_a.get(url, **headers)
        assert response.status_code == 200, url
        assert HIDDEN not in response.content.decode(), url
    task_ids = {row["id"] for row in client_a.get("/api/v1/tasks/", **headers).json()["results"]}
    assert task_ids == {world["shared"].pk, world["own_task"].pk}
    assert client_a.get(f"/api/v1/tasks/{world['hidden_task'].pk}/", **headers).status_code == 404


def test_unrestricted_pracownik_sees_the_shared_tasks_of_every_customer(
    company_a, pracownik, world, company_settings_a
):
    company_settings_a(restrict_pracownik_to_own=False)
    with schema_context(company_a.schema_name):
        visible = set(tasks_visible_to(pracownik))

    assert {world["hidden_task"], world["deal_task"], world["shared"], world["own_task"]} <= visible
