"""Issue 13: customers in Polish alphabetical order, found by address and contact
persons (without Polish letters), and filtered by city."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.contacts import services
from tests.crm.contacts.factories import CustomerFactory

NAMES = ["Żuraw S.A.", "Lubin Handel", "Łódź Metal", "Marki Drewno", "Szczecin Port", "Śrem Okna", "Zabrze Stal"]


def test_api_ordering_by_name_is_polish_alphabetical(client_a, szef, in_a):
    with in_a():
        for name in NAMES:
            CustomerFactory(owner=szef, name=name)
    client = client_a.login_as(szef)
    names = [r["name"] for r in client.get("/api/v1/customers/", {"ordering": "name"}).json()["results"]]
    assert names == [
        "Lubin Handel",
        "Łódź Metal",
        "Marki Drewno",
        "Szczecin Port",
        "Śrem Okna",
        "Zabrze Stal",
        "Żuraw S.A.",
    ]
    reverse = [r["name"] for r in client.get("/api/v1/customers/", {"ordering": "-name"}).json()["results"]]
    assert reverse == names[::-1]


def test_customer_list_page_is_sorted_the_polish_way(client_a, szef, in_a):
    with in_a():
        for name in NAMES:
            CustomerFactory(owner=szef, name=name)
    html = client_a.login_as(szef).get("/customers/?sort=name").content.decode()
    assert html.index("Lubin Handel") < html.index("Łódź Metal") < html.index("Marki Drewno")
    assert html.index("Szczecin Port") < html.index("Śrem Okna") < html.index("Zabrze Stal")


def test_search_finds_customers_by_city_street_and_postcode_without_polish_letters(client_a, szef, in_a):
    with in_a():
        CustomerFactory(owner=szef, name="Alfa", city="Łódź", street="ul. Piotrkowska 5", postal_code="90-001")
        CustomerFactory(owner=szef, name="Beta", city="Kraków", street="ul. Długa 1", postal_code="31-100")
    client = client_a.login_as(szef)

    def found(q: str) -> list[str]:
        return [r["name"] for r in client.get("/api/v1/customers/", {"search": q}).json()["results"]]

    assert found("lodz") == ["Alfa"]
    assert found("piotrkowska") == ["Alfa"]
    assert found("31-100") == ["Beta"]
    assert found("dluga krakow") == ["Beta"]


def test_search_finds_a_customer_by_its_contact_persons_name_email_and_phone(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef, name="Gamma")
        CustomerFactory(owner=szef, name="Delta")
        contact = services.contact_create(
            customer=customer,
            actor=szef,
            data={"name": "Paweł Żółtowski", "email": "pawel@gamma.pl", "phone": "+48 601 222 333"},
        )
    client = client_a.login_as(szef)

    def found(q: str) -> list[str]:
        return [r["name"] for r in client.get("/api/v1/customers/", {"search": q}).json()["results"]]

    assert found("zoltowski") == ["Gamma"]
    assert found("pawel@gamma") == ["Gamma"]
    assert found("601222333") == ["Gamma"]
    html = client.get("/customers/", {"q": "Żółtowski"}).content.decode()
    assert "Gamma" in html and "Delta" not in html
    with in_a():
        services.contact_update(contact=contact, actor=szef, data={"name": "Anna Nowak"})
    assert found("zoltowski") == []
    assert found("nowak") == ["Gamma"]
    with in_a():
        services.contact_delete(contact=contact, actor=szef)
    assert found("nowak") == []


def test_city_filter_on_the_list_and_the_api(client_a, szef, in_a):
    with in_a():
        CustomerFactory(owner=szef, name="Łódzka Hurtownia", city="Łódź")
        CustomerFactory(owner=szef, name="Krakowski Skład", city="Kraków")
    client = client_a.login_as(szef)
    names = [r["name"] for r in client.get("/api/v1/customers/", {"city": "łódź"}).json()["results"]]
    assert names == ["Łódzka Hurtownia"]
    html = client.get("/customers/", {"city": "Kraków"}).content.decode()
    assert "Krakowski Skład" in html and "Łódzka Hurtownia" not in html
    assert 'name="city"' in html


def test_restricted_pracownik_does_not_find_others_customers_by_city(
    client_a, pracownik, szef, restricted_pracownik, in_a
):
    with in_a():
        CustomerFactory(owner=szef, name="Cudzy", city="Łódź")
        CustomerFactory(owner=pracownik, name="Mój", city="Łódź")
    names = [
        r["name"] for r in client_a.login_as(pracownik).get("/api/v1/customers/", {"search": "lodz"}).json()["results"]
    ]
    assert names == ["Mój"]


def test_customers_api_has_the_address_fields(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Alfa", city="Łódź", street="ul. A 1", postal_code="90-001")
    row = client_a.login_as(szef).get("/api/v1/customers/").json()["results"][0]
    assert (row["city"], row["street"], row["postal_code"]) == ("Łódź", "ul. A 1", "90-001")
