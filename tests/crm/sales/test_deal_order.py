"""Issue 13 leftovers: deals sort in Polish alphabetical order (Ł after L, Ś after S) on
the list page and in the API, like customers."""

from __future__ import annotations

from crm.sales.selectors import DEAL_SORTS
from tests.crm.sales.helpers import customer_make, deal_make

NAMES = ["Żuraw dostawa", "Lubin serwis", "Łódź wdrożenie", "Marki szkolenie", "Szczecin audyt", "Śrem okna"]
POLISH_ORDER = ["Lubin serwis", "Łódź wdrożenie", "Marki szkolenie", "Szczecin audyt", "Śrem okna", "Żuraw dostawa"]


def _deals(in_a, owner):
    with in_a():
        customer = customer_make(owner=owner)
        for name in NAMES:
            deal_make(customer=customer, owner=owner, name=name)


def test_api_ordering_by_name_is_polish_alphabetical(szef, in_a, api_szef):
    _deals(in_a, szef)
    names = [r["name"] for r in api_szef.get("/api/v1/deals/", {"ordering": "name"}).json()["results"]]
    assert names == POLISH_ORDER
    backwards = [r["name"] for r in api_szef.get("/api/v1/deals/", {"ordering": "-name"}).json()["results"]]
    assert backwards == POLISH_ORDER[::-1]


def test_api_refuses_an_unknown_ordering_with_the_allowed_ones(api_szef):
    response = api_szef.get("/api/v1/deals/", {"ordering": "customer__name"})
    assert response.status_code == 400
    assert all(key in response.json()["ordering"][0] for key in DEAL_SORTS)


def test_deal_list_sorts_by_name_the_polish_way_from_its_column_header(client_a, szef, in_a):
    _deals(in_a, szef)
    client = client_a.login_as(szef)
    first = client.get("/deals/list/").content.decode()
    assert 'href="?sort=name"' in first and 'aria-sort="none"' in first
    html = client.get("/deals/list/", {"sort": "name"}).content.decode()
    positions = [html.index(name) for name in POLISH_ORDER]
    assert positions == sorted(positions)
    assert 'aria-sort="ascending"' in html and 'href="?sort=-name"' in html
    backwards = client.get("/deals/list/", {"sort": "-name"}).content.decode()
    assert backwards.index("Żuraw dostawa") < backwards.index("Śrem okna") < backwards.index("Lubin serwis")
