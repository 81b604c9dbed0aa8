"""The current marketing consents, read-only, in the main customer and contact person API
(`consents`): the same state as `<id>/consents/`, null for a company customer, read for a
whole list page in one query, and not writable through the record."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from crm.contacts.models import CustomerKind
from crm.privacy.models import ConsentEvent
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory


@pytest.fixture
def people(company_a: Any, szef: Any) -> dict[str, Any]:
    with schema_context(company_a.schema_name):
        person = CustomerFactory(name="Ewa Kot", kind=CustomerKind.PERSON, email="ewa@kot.test", owner=szef)
        firm = CustomerFactory(name="Firma Kot", kind=CustomerKind.COMPANY, owner=szef)
        contact = ContactPersonFactory(customer=firm, name="Adam Kot", email="adam@kot.test")
    return {"person": person, "firm": firm, "contact": contact}


def _grant(client: Any, url: str, **data: Any) -> None:
    body = {"channel": "email", "granted": True, "source": "web_form", **data}
    assert client.post(url, body, content_type="application/json").status_code == 201


def test_the_customer_and_contact_carry_their_current_consents(api_szef, people):
    person, firm, contact = people["person"], people["firm"], people["contact"]
    _grant(api_szef, f"/api/v1/customers/{person.pk}/consents/", given_at="2026-01-10T10:00:00+01:00")
    _grant(api_szef, f"/api/v1/customers/{person.pk}/consents/", granted=False, source="email")
    _grant(api_szef, f"/api/v1/contacts/{contact.pk}/consents/", channel="phone", source="phone")

    one = api_szef.get(f"/api/v1/customers/{person.pk}/").json()["consents"]
    company = api_szef.get(f"/api/v1/customers/{firm.pk}/").json()["consents"]
    listed = {row["id"]: row["consents"] for row in api_szef.get("/api/v1/customers/").json()["results"]}
    of_contact = api_szef.get(f"/api/v1/contacts/{contact.pk}/").json()["consents"]

    assert one["email"]["granted"] is False and one["email"]["source"] == "email" and one["phone"] is None
    assert company is None and listed[firm.pk] is None and listed[person.pk] == one
    assert of_contact["phone"] == {
        "granted": True,
        "given_at": of_contact["phone"]["given_at"],
        "source": "phone",
    }
    assert of_contact["email"] is None


def test_a_list_page_reads_the_consents_in_one_query(api_szef, people, company_a, szef):
    with schema_context(company_a.schema_name):
        for number in range(5):
            CustomerFactory(name=f"Osoba {number}", kind=CustomerKind.PERSON, owner=szef)

    with CaptureQueriesContext(connection) as queries:
        rows = api_szef.get("/api/v1/customers/").json()["results"]

    assert len(rows) == 7
    assert sum("privacy_consentevent" in q["sql"] for q in queries.captured_queries) == 1


def test_consents_cannot_be_written_through_the_record(api_szef, people, company_a):
    person = people["person"]
    fake = {"email": {"granted": True, "given_at": "2026-01-01T00:00:00Z", "source": "paper"}}

    response = api_szef.patch(
        f"/api/v1/customers/{person.pk}/", {"consents": fake, "phone": "500"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["consents"] == {"email": None, "phone": None}
    with schema_context(company_a.schema_name):
        assert not ConsentEvent.objects.exists()


def test_another_company_does_not_see_the_consents(api_outsider, people):
    assert api_outsider.get(f"/api/v1/customers/{people['person'].pk}/").status_code == 404
    assert api_outsider.get(f"/api/v1/contacts/{people['contact'].pk}/").status_code == 404
