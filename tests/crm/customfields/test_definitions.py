"""Settings > Pola własne and /api/v1/settings/custom-fields/: Szef defines the fields
of each record type; other ranks get 403, another company's field is a 404."""

from __future__ import annotations

import pytest

from crm.contacts.models import Customer
from crm.customfields.models import CustomField
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.customfields.helpers import field_make

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/custom-fields/"


def _post(client, data, url=URL):
    return client.post(url, data, content_type="application/json")


def test_szef_adds_a_select_field_through_the_api_with_the_contract_fields(api_szef):
    response = _post(
        api_szef,
        {"model": "customer", "name": "Branża", "type": "select", "options": ["IT", "Handel"], "show_in_list": True},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert {
        k: body[k] for k in ("model", "name", "key", "type", "options", "required", "position", "show_in_list")
    } == {
        "model": "customer",
        "name": "Branża",
        "key": "branza",
        "type": "select",
        "options": ["IT", "Handel"],
        "required": False,
        "position": 1,
        "show_in_list": True,
    }
    assert api_szef.get(URL).json()["results"][0]["id"] == body["id"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"model": "customer", "name": "Branża", "type": "kolor"}, "type"),
        ({"model": "customer", "name": "Branża", "type": "select"}, "options"),
        ({"model": "customer", "name": "Branża", "type": "text", "key": "Zła Nazwa"}, "key"),
        ({"model": "customer", "name": "Branża", "type": "text", "key": "a__b"}, "key"),
        ({"model": "faktura", "name": "Branża", "type": "text"}, "model"),
        ({"model": "customer", "name": "", "type": "text", "key": "x"}, "name"),
    ],
)
def test_a_bad_definition_is_a_400_naming_the_field(api_szef, data, field):
    response = _post(api_szef, data)

    assert response.status_code == 400
    assert field in response.json()
    assert api_szef.get(URL).json()["count"] == 0


def test_the_same_key_twice_for_one_record_type_is_refused_but_another_type_may_use_it(api_szef):
    assert _post(api_szef, {"model": "customer", "name": "Branża", "type": "text"}).status_code == 201
    assert _post(api_szef, {"model": "customer", "name": "Branża", "type": "text"}).status_code == 400
    assert _post(api_szef, {"model": "deal", "name": "Branża", "type": "text"}).status_code == 201


def test_key_and_type_are_fixed_but_name_options_and_position_change(api_szef, in_a):
    with in_a():
        first = field_make(name="Branża", type="select", options=["IT"])
        second = field_make(name="Wielkość", type="number")

    refused = api_szef.patch(f"{URL}{first.pk}/", {"type": "text"}, content_type="application/json")
    changed = api_szef.patch(
        f"{URL}{second.pk}/", {"name": "Liczba pracowników", "position": 1}, content_type="application/json"
    )

    assert refused.status_code == 400 and "type" in refused.json()
    assert changed.status_code == 200
    assert [(f["name"], f["position"]) for f in api_szef.get(URL).json()["results"]] == [
        ("Liczba pracowników", 1),
        ("Branża", 2),
    ]


def test_deleting_a_field_removes_its_values_from_the_records(api_szef, in_a):
    with in_a():
        field = field_make(name="Branża")
        other = field_make(name="Region")
        customer = CustomerFactory(custom_fields={"branza": "IT", "region": "Pomorze"})

    assert api_szef.delete(f"{URL}{field.pk}/").status_code == 204

    with in_a():
        assert Customer.objects.get(pk=customer.pk).custom_fields == {"region": "Pomorze"}
        assert list(CustomField.objects.values_list("pk", flat=True)) == [other.pk]


@pytest.mark.parametrize("client_name", ["api_kierownik", "api_pracownik"])
def test_only_szef_may_define_fields(request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(URL).status_code == 403
    assert _post(client, {"model": "customer", "name": "Branża", "type": "text"}).status_code == 403


def test_another_companys_field_is_a_404(api_outsider, in_a):
    with in_a():
        field = field_make()
    assert api_outsider.get(f"{URL}{field.pk}/").status_code == 404
    assert api_outsider.get(URL).json()["count"] == 0


# --- the Settings page ------------------------------------------------------------


def test_szef_adds_edits_moves_and_deletes_a_field_on_the_settings_page(client_a, szef, in_a):
    client_a.login_as(szef)
    assert "Pola własne" in client_a.get("/settings/custom-fields/").content.decode()

    response = client_a.post(
        "/settings/custom-fields/add/",
        {"model": "deal", "name": "Źródło leada", "type": "select", "options": "Targi\nPolecenie"},
    )
    assert response.status_code == 302
    client_a.post("/settings/custom-fields/add/", {"model": "deal", "name": "Termin", "type": "date"})
    with in_a():
        first, second = CustomField.objects.filter(model="deal").order_by("position")
    assert (first.key, first.options) == ("zrodlo_leada", ["Targi", "Polecenie"])

    client_a.post(f"/settings/custom-fields/{second.pk}/move/", {"direction": "up"})
    client_a.post(f"/settings/custom-fields/{first.pk}/", {"name": "Skąd", "options": "Targi", "required": "on"})
    with in_a():
        assert list(CustomField.objects.filter(model="deal").values_list("name", "position", "required")) == [
            ("Termin", 1, False),
            ("Skąd", 2, True),
        ]
    assert client_a.post(f"/settings/custom-fields/{first.pk}/delete/").status_code == 302
    with in_a():
        assert CustomField.objects.count() == 1


def test_a_bad_field_on_the_settings_page_shows_the_message_next_to_it(client_a, szef, in_a):
    client_a.login_as(szef)
    response = client_a.post("/settings/custom-fields/add/", {"model": "customer", "name": "Branża", "type": "select"})

    assert response.status_code == 400
    assert "Podaj opcje do wyboru" in response.content.decode()
    with in_a():
        assert not CustomField.objects.exists()


@pytest.mark.parametrize("rank", ["kierownik", "pracownik"])
def test_other_ranks_get_403_on_the_settings_page(request, client_a, in_a, rank):
    user = request.getfixturevalue(rank)
    with in_a():
        field = field_make()
    client_a.login_as(user)
    assert client_a.get("/settings/custom-fields/").status_code == 403
    assert client_a.post(f"/settings/custom-fields/{field.pk}/delete/").status_code == 403


def test_another_companys_field_page_is_a_404(client_b, outsider, in_a):
    with in_a():
        field = field_make()
    client_b.login_as(outsider)
    assert client_b.get(f"/settings/custom-fields/{field.pk}/").status_code == 404
    assert client_b.post(f"/settings/custom-fields/{field.pk}/delete/").status_code == 404
