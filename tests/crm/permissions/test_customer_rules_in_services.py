"""Issue 12: the customer rules live in the services, so the API keeps them as the
pages do: no silent duplicate, and a restricted Pracownik owns what he creates."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.contacts.models import Customer
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.sales.helpers import customer_make
from tests.support.api_tokens import api_headers


def test_api_refuses_a_duplicate_customer_unless_asked_to_keep_it(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Pierwsza", email="biuro@firma.pl")
    headers = api_headers(company_a, szef)

    refused = client_a.post(
        "/api/v1/customers/", {"name": "Druga", "email": "BIURO@firma.pl"}, content_type="application/json", **headers
    )
    kept = client_a.post(
        "/api/v1/customers/",
        {"name": "Druga", "email": "biuro@firma.pl", "allow_duplicate": True},
        content_type="application/json",
        **headers,
    )

    assert refused.status_code == 400 and "już istnieje" in str(refused.json())
    assert kept.status_code == 201
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(email="biuro@firma.pl").count() == 2


def test_duplicate_refusal_does_not_name_a_customer_hidden_from_a_restricted_pracownik(
    client_a, company_a, szef, pracownik, company_settings_a
):
    company_settings_a(restrict_pracownik_to_own=True)
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Ukryta Firma Szefa", email="tajne@firma.pl")

    response = client_a.post(
        "/api/v1/customers/",
        {"name": "Moja", "email": "tajne@firma.pl"},
        content_type="application/json",
        **api_headers(company_a, pracownik),
    )
    page = client_a.login_as(pracownik).post(
        "/customers/new/", {"name": "Moja", "email": "tajne@firma.pl", "kind": "company"}
    )

    assert response.status_code == 400 and "Ukryta Firma Szefa" not in response.content.decode()
    assert page.status_code == 400 and "Ukryta Firma Szefa" not in page.content.decode()


def test_restricted_pracownik_cannot_give_his_customer_away_through_the_api(
    client_a, company_a, szef, pracownik, company_settings_a
):
    company_settings_a(restrict_pracownik_to_own=True)
    with schema_context(company_a.schema_name):
        own = customer_make(owner=pracownik)

    response = client_a.patch(
        f"/api/v1/customers/{own.pk}/",
        {"owner": szef.pk},
        content_type="application/json",
        **api_headers(company_a, pracownik),
    )

    assert response.status_code == 400 and "owner" in response.json()
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=own.pk).owner_id == pracownik.pk
