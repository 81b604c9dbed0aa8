"""The `custom_fields` object on customers, contact persons, deals, tickets and projects
in the API: read, written with the checks of its type, unknown keys refused, required
enforced, and `?cf_<key>=` filtering the lists."""

from __future__ import annotations

import pytest

from crm.contacts.models import Customer
from crm.sales.models import Deal
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.customfields.helpers import field_make
from tests.crm.projects.factories import project_make
from tests.crm.sales.factories import DealFactory
from tests.crm.tickets.factories import ticket_make

pytestmark = pytest.mark.django_db


def _json(client, method, url, data):
    return getattr(client, method)(url, data, content_type="application/json")


def test_a_customer_is_created_with_custom_fields_stored_by_type(api_szef, in_a):
    with in_a():
        field_make(name="Branża", type="select", options=["IT", "Handel"])
        field_make(name="Pracownicy", type="number")
        field_make(name="Klient od", type="date")

    response = _json(
        api_szef,
        "post",
        "/api/v1/customers/",
        {"name": "Alfa", "custom_fields": {"branza": "it", "pracownicy": "120", "klient_od": "2024-05-01"}},
    )

    assert response.status_code == 201, response.content
    assert response.json()["custom_fields"] == {"branza": "IT", "pracownicy": 120, "klient_od": "2024-05-01"}
    with in_a():
        assert Customer.objects.get(name="Alfa").custom_fields["pracownicy"] == 120


def test_an_unknown_key_or_a_bad_value_is_a_400_naming_the_key_and_nothing_changes(api_szef, in_a):
    with in_a():
        field_make(name="Pracownicy", type="number")
        customer = CustomerFactory(name="Alfa", custom_fields={"pracownicy": 5})
    url = f"/api/v1/customers/{customer.pk}/"

    unknown = _json(api_szef, "patch", url, {"custom_fields": {"kolor": "zielony"}})
    bad = _json(api_szef, "patch", url, {"custom_fields": {"pracownicy": "dużo"}})
    not_object = _json(api_szef, "patch", url, {"custom_fields": ["pracownicy"]})

    assert unknown.status_code == 400 and "kolor" in unknown.json()["custom_fields"]
    assert bad.status_code == 400 and "pracownicy" in bad.json()["custom_fields"]
    assert not_object.status_code == 400
    with in_a():
        assert Customer.objects.get(pk=customer.pk).custom_fields == {"pracownicy": 5}


def test_a_patch_writes_over_the_given_keys_and_null_clears_one(api_szef, in_a):
    with in_a():
        field_make(name="Branża")
        field_make(name="Region")
        customer = CustomerFactory(custom_fields={"branza": "IT", "region": "Pomorze"})
    url = f"/api/v1/customers/{customer.pk}/"

    response = _json(api_szef, "patch", url, {"custom_fields": {"branza": None, "region": "Mazowsze"}})
    untouched = _json(api_szef, "patch", url, {"name": "Nowa nazwa"})

    assert response.json()["custom_fields"] == {"region": "Mazowsze"}
    assert untouched.json()["custom_fields"] == {"region": "Mazowsze"}


def test_a_required_field_is_enforced_on_create(api_szef, in_a):
    with in_a():
        field_make(name="Branża", required=True)

    missing = _json(api_szef, "post", "/api/v1/customers/", {"name": "Alfa"})
    given = _json(api_szef, "post", "/api/v1/customers/", {"name": "Beta", "custom_fields": {"branza": "IT"}})

    assert missing.status_code == 400 and "branza" in missing.json()["custom_fields"]
    assert given.status_code == 201


def test_deals_tickets_projects_and_contacts_carry_their_own_custom_fields(api_szef, szef, in_a):
    with in_a():
        for model in ("deal", "ticket", "project", "contact"):
            field_make(model=model, name="Priorytet handlowy", type="checkbox")
        customer = CustomerFactory(owner=szef)
        deal = DealFactory(customer=customer, owner=szef)
        ticket = ticket_make(customer=customer)
        project = project_make(customer=customer, owner=szef)
        contact = ContactPersonFactory(customer=customer)
    for url in (
        f"/api/v1/deals/{deal.pk}/",
        f"/api/v1/tickets/{ticket.pk}/",
        f"/api/v1/projects/{project.pk}/",
        f"/api/v1/contacts/{contact.pk}/",
    ):
        response = _json(api_szef, "patch", url, {"custom_fields": {"priorytet_handlowy": True}})
        assert response.status_code == 200, (url, response.content)
        assert response.json()["custom_fields"] == {"priorytet_handlowy": True}
        assert _json(api_szef, "patch", url, {"custom_fields": {"branza": "IT"}}).status_code == 400
    with in_a():
        assert Deal.objects.get(pk=deal.pk).custom_fields == {"priorytet_handlowy": True}


def test_api_lists_filter_by_custom_fields(api_szef, szef, in_a):
    with in_a():
        field_make(name="Branża", type="select", options=["IT", "Handel"])
        field_make(name="Opis", type="text")
        field_make(name="VIP", type="checkbox")
        field_make(name="Tagi branżowe", key="tagi", type="multi_select", options=["A", "B"])
        field_make(model="deal", name="Kanał", type="select", options=["Targi", "WWW"])
        it = CustomerFactory(name="Alfa", custom_fields={"branza": "IT", "opis": "Hurtownia śrub", "vip": True})
        CustomerFactory(name="Beta", custom_fields={"branza": "Handel", "opis": "Sklep", "tagi": ["A", "B"]})
        CustomerFactory(name="Gamma")
        DealFactory(customer=it, owner=szef, name="Wdrożenie", custom_fields={"kanal": "Targi"})
        DealFactory(customer=it, owner=szef, name="Serwis", custom_fields={"kanal": "WWW"})

    def names(url):
        return sorted(r["name"] for r in api_szef.get(url).json()["results"])

    assert names("/api/v1/customers/?cf_branza=IT") == ["Alfa"]
    assert names("/api/v1/customers/?cf_opis=hurtownia") == ["Alfa"]
    assert names("/api/v1/customers/?cf_vip=true") == ["Alfa"]
    assert names("/api/v1/customers/?cf_tagi=B") == ["Beta"]
    assert names("/api/v1/deals/?cf_kanal=Targi") == ["Wdrożenie"]
    bad = api_szef.get("/api/v1/customers/?cf_vip=może")
    assert bad.status_code == 400 and "cf_vip" in bad.json()


def test_the_search_finds_a_customer_by_a_textual_custom_value(api_szef, in_a):
    with in_a():
        field_make(name="Opis", type="text")
    _json(api_szef, "post", "/api/v1/customers/", {"name": "Alfa", "custom_fields": {"opis": "Producent żurawi"}})
    _json(api_szef, "post", "/api/v1/customers/", {"name": "Beta"})

    found = api_szef.get("/api/v1/customers/?search=zurawi").json()["results"]

    assert [r["name"] for r in found] == ["Alfa"]


def test_another_company_cannot_write_custom_fields_of_a_customer(api_outsider, in_a):
    with in_a():
        field_make(name="Branża")
        customer = CustomerFactory(custom_fields={"branza": "IT"})
    assert _json(api_outsider, "patch", f"/api/v1/customers/{customer.pk}/", {"custom_fields": {}}).status_code == 404
