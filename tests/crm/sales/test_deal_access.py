"""Who sees which deal: outsiders get 404 everywhere, a restricted Pracownik sees only their own."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to
from tests.crm.sales.helpers import customer_make, deal_make, stages, status

PAGES = [
    ("get", "/deals/{pk}/"),
    ("get", "/deals/{pk}/edit/"),
    ("post", "/deals/{pk}/edit/"),
    ("get", "/deals/{pk}/delete/"),
    ("post", "/deals/{pk}/delete/"),
    ("post", "/deals/{pk}/move/"),
    ("post", "/deals/{pk}/status/"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_outsider_gets_404_for_every_deal_page(client_b, outsider, company_a, szef, method, url):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        stage = stages()[1].pk
    client_b.login_as(outsider)

    response = getattr(client_b, method)(url.format(pk=deal.pk), {"stage": stage} if method == "post" else None)

    assert response.status_code == 404
    with schema_context(company_a.schema_name):
        assert Deal.objects.get(pk=deal.pk).stage_id == deal.stage_id


@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_outsider_gets_404_from_the_deal_api(outsider, company_a, company_b, szef, method, api_outsider):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)

    response = getattr(api_outsider, method)(
        f"/api/v1/deals/{deal.pk}/", {"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 404
    with schema_context(company_a.schema_name):
        assert Deal.objects.filter(pk=deal.pk).exists()


def test_outsider_does_not_see_other_companies_deals_on_board_list_or_api(
    client_b, outsider, company_a, company_b, szef, api_outsider
):
    with schema_context(company_a.schema_name):
        deal_make(owner=szef, name="Tajna szansa Alfy")
    client_b.login_as(outsider)

    assert "Tajna szansa Alfy" not in client_b.get("/deals/").content.decode()
    assert "Tajna szansa Alfy" not in client_b.get("/deals/list/").content.decode()
    assert api_outsider.get("/api/v1/deals/").json()["results"] == []


def test_outsider_cannot_create_a_deal_for_another_companys_customer_through_the_api(
    outsider, company_a, company_b, szef, api_outsider
):
    with schema_context(company_a.schema_name):
        customer_id = deal_make(owner=szef).customer_id

    response = api_outsider.post(
        "/api/v1/deals/",
        {"name": "Przejęcie", "customer": customer_id},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "customer" in response.json()


def test_customer_picker_of_an_outsider_does_not_list_other_companies_customers(client_b, outsider, company_a, szef):
    with schema_context(company_a.schema_name):
        deal_make(owner=szef, customer=None)
    client_b.login_as(outsider)

    options = client_b.get("/deals/options/customers/?q=klient").content.decode()

    assert "Klient Testowy" not in options


def test_pracownik_sees_every_deal_while_not_restricted(client_a, pracownik, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, name="Szansa szefa")
    client_a.login_as(pracownik)

    assert client_a.get(f"/deals/{deal.pk}/").status_code == 200
    assert "Szansa szefa" in client_a.get("/deals/").content.decode()


def test_restricted_pracownik_sees_only_own_deals_everywhere(
    client_a, pracownik, szef, company_a, restricted_pracownik, api_pracownik
):
    with schema_context(company_a.schema_name):
        theirs = deal_make(owner=szef, name="Szansa szefa")
        mine = deal_make(owner=pracownik, name="Szansa pracownika")
        next_stage = stages()[1].pk
        won = status("won").pk
    client_a.login_as(pracownik)

    board = client_a.get("/deals/").content.decode()
    listing = client_a.get("/deals/list/").content.decode()
    api_ids = [row["id"] for row in api_pracownik.get("/api/v1/deals/").json()["results"]]

    assert "Szansa pracownika" in board and "Szansa szefa" not in board
    assert "Szansa pracownika" in listing and "Szansa szefa" not in listing
    assert api_ids == [mine.pk]
    assert client_a.get(f"/deals/{theirs.pk}/").status_code == 404
    assert client_a.post(f"/deals/{theirs.pk}/move/", {"stage": next_stage}).status_code == 404
    assert client_a.post(f"/deals/{theirs.pk}/status/", {"status": won}).status_code == 404
    assert api_pracownik.get(f"/api/v1/deals/{theirs.pk}/").status_code == 404
    assert client_a.get(f"/deals/{mine.pk}/").status_code == 200


def test_szef_sees_every_deal_even_when_pracownik_is_restricted(szef, pracownik, company_a, restricted_pracownik):
    with schema_context(company_a.schema_name):
        deal_make(owner=pracownik)
        deal_make(owner=szef)
        assert deals_visible_to(szef).count() == 2
        assert deals_visible_to(pracownik).count() == 1


def test_deal_picker_of_an_outsider_or_a_restricted_pracownik_lists_no_foreign_deals(
    client_a, client_b, outsider, pracownik, szef, company_a, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, name="Szansa tylko dla szefa")
    client_b.login_as(outsider)
    client_a.login_as(pracownik)

    for client in (client_a, client_b):
        options = client.get(f"/deals/options/deals/?customer={deal.customer_id}").content.decode()
        assert "Szansa tylko dla szefa" not in options


def test_restricted_pracownik_cannot_give_a_deal_to_someone_else(
    client_a, pracownik, szef, company_a, restricted_pracownik, api_pracownik
):
    with schema_context(company_a.schema_name):
        customer = customer_make(owner=pracownik)

    response = api_pracownik.post(
        "/api/v1/deals/",
        {"name": "Dla szefa", "customer": customer.pk, "owner": szef.pk},
        content_type="application/json",
    )
    page = client_a.login_as(pracownik).get("/deals/new/").content.decode()

    assert response.status_code == 400 and "owner" in response.json()
    owner_select = page.split('id="id_owner"')[1].split("</select>")[0]
    assert f'<option value="{szef.pk}"' not in owner_select
    assert f'<option value="{pracownik.pk}"' in owner_select
