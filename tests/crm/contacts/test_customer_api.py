from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.categories.models import ContactGroup, ContactSource
from crm.contacts.models import ContactPerson, Customer
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory, deal_make

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {
    "id",
    "kind",
    "name",
    "email",
    "phone",
    "tax_id",
    "status",
    "type",
    "groups",
    "source",
    "owner",
    "created_at",
}


def test_customer_list_has_the_contract_fields(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        group = ContactGroup.objects.first()
        CustomerFactory(owner=szef, name="Łódzka Spółka", groups=[group])
    response = api_szef.get("/api/v1/customers/")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert set(row) >= CONTRACT_FIELDS
    assert row["groups"] == [group.pk]
    assert row["kind"] == "company"


def test_api_search_ignores_case_and_polish_letters(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Hurtownia Łódź Sp. z o.o.")
        CustomerFactory(owner=szef, name="Kraków Handel")
    client = api_szef
    names = [r["name"] for r in client.get("/api/v1/customers/", {"search": "LODZ"}).json()["results"]]
    assert names == ["Hurtownia Łódź Sp. z o.o."]
    names = [r["name"] for r in client.get("/api/v1/customers/", {"search": "łódź hurt"}).json()["results"]]
    assert names == ["Hurtownia Łódź Sp. z o.o."]


def test_create_update_and_delete_through_the_api(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        source = ContactSource.objects.first()
    client = api_szef
    created = client.post(
        "/api/v1/customers/",
        {
            "name": "API Sp. z o.o.",
            "tax_id": "PL 526-000-12-46",
            "email": "API@firma.pl",
            "source": source.pk,
            "tags": ["B2B"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["tax_id"] == "5260001246"
    assert body["email"] == "api@firma.pl"
    assert body["tags"] == ["b2b"]
    assert body["owner"] == szef.pk
    pk = body["id"]

    patched = client.patch(f"/api/v1/customers/{pk}/", {"phone": "+48 22 123 45 67"}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["phone"] == "+48 22 123 45 67"

    assert client.delete(f"/api/v1/customers/{pk}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "X", "tax_id": "1234567890"}, "tax_id"),
        ({"name": "X", "email": "nie-email"}, "email"),
        ({"name": "X", "kind": "robot"}, "kind"),
        ({"name": "X", "source": 999999}, "source"),
    ],
)
def test_invalid_customer_is_refused_with_a_field_message_and_nothing_saved(szef, company_a, payload, field, api_szef):
    response = api_szef.post("/api/v1/customers/", payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field][0]
    with schema_context(company_a.schema_name):
        assert not Customer.objects.exists()


def test_deleting_a_customer_with_deals_answers_conflict(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        deal_make(customer, owner=szef)
    response = api_szef.delete(f"/api/v1/customers/{customer.pk}/")
    assert response.status_code == 409
    assert "szanse sprzedaży" in response.json()["detail"]


def test_pracownik_cannot_delete_a_colleagues_customer_through_the_api(szef, pracownik, company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    response = api_pracownik.delete(f"/api/v1/customers/{customer.pk}/")
    assert response.status_code == 403
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(pk=customer.pk).exists()


def test_contacts_api_crud(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client = api_szef
    created = client.post(
        "/api/v1/contacts/",
        {"customer": customer.pk, "name": "Ewa Zielińska", "position": "Księgowa", "email": "Ewa@Firma.pl"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert {"id", "customer", "name", "position", "email", "phone"} <= set(created.json())
    pk = created.json()["id"]
    listed = client.get("/api/v1/contacts/", {"customer": customer.pk}).json()["results"]
    assert [c["name"] for c in listed] == ["Ewa Zielińska"]
    assert (
        client.patch(
            f"/api/v1/contacts/{pk}/", {"position": "Główna księgowa"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert client.delete(f"/api/v1/contacts/{pk}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert not ContactPerson.objects.exists()


def test_contact_without_name_is_refused(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    response = api_szef.post(
        "/api/v1/contacts/", {"customer": customer.pk, "name": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "name" in response.json()


def test_anonymous_api_call_is_refused(client_a):
    assert client_a.get("/api/v1/customers/").status_code in (401, 403)
    assert client_a.get("/api/v1/contacts/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/customers/{c}/"),
        ("patch", "/api/v1/customers/{c}/"),
        ("put", "/api/v1/customers/{c}/"),
        ("delete", "/api/v1/customers/{c}/"),
        ("get", "/api/v1/contacts/{p}/"),
        ("patch", "/api/v1/contacts/{p}/"),
        ("delete", "/api/v1/contacts/{p}/"),
    ],
)
def test_outsider_gets_404_for_another_companys_records(
    outsider, szef, company_a, company_b, method, url, api_outsider
):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        contact = ContactPersonFactory(customer=customer)
    client = api_outsider
    response = getattr(client, method)(
        url.format(c=customer.pk, p=contact.pk), {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=customer.pk).name == customer.name


def test_outsider_cannot_attach_a_contact_to_another_companys_customer(
    outsider, szef, company_a, company_b, api_outsider
):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client = api_outsider
    response = client.post("/api/v1/contacts/", {"customer": customer.pk, "name": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert "customer" in response.json()


def test_customers_and_contacts_are_in_the_openapi_schema(client_a, szef, company_a):
    client_a.login_as(szef)
    schema = client_a.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/customers/" in schema
    assert "/api/v1/contacts/" in schema
    assert "search" in schema


def test_api_list_query_count_does_not_grow_with_rows(szef, company_a, django_assert_max_num_queries, api_szef):
    with schema_context(company_a.schema_name):
        groups = list(ContactGroup.objects.all())
        for _i in range(60):
            CustomerFactory(owner=szef, groups=groups)
    client = api_szef
    with django_assert_max_num_queries(20):
        response = client.get("/api/v1/customers/")
    assert response.json()["count"] == 60
