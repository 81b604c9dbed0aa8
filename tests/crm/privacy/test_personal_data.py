"""The RODO export (issue 18): everything the company holds about a customer or a
contact person, from the API and as a download from the card, for Szef and Kierownik only."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry, ActivityKind
from crm.contacts.models import CustomerKind
from crm.privacy.selectors import customer_personal_data
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import company_set
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.invoicing.factories import draft_make, line
from tests.crm.notes.factories import AttachmentFactory, NoteFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory
from tests.crm.tickets.factories import ticket_make
from tests.security.openapi import SCHEMA


@pytest.fixture
def person(company_a: Any, pracownik: Any) -> dict[str, Any]:
    """A company customer with a contact, a deal, a task, a note, a file, an invoice and a
    ticket; and another customer with a deal, a note and a file of its own."""
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Hurtownia Śrubex", email="biuro@srubex.test", owner=pracownik)
        contact = ContactPersonFactory(customer=customer, name="Anna Nowak", email="anna@srubex.test")
        deal = DealFactory(customer=customer, name="Wdrożenie CRM Śrubex", value=Decimal("12500.50"))
        task = TaskFactory(customer=customer, title="Zadzwonić do Anny")
        TaskFactory(customer=None, deal=deal, title="Przygotować demo dla szansy")
        note = NoteFactory(customer=customer, body="Anna Nowak prosi o kontakt po 15:00")
        upload = AttachmentFactory(customer=customer, name="umowa-srubex.pdf", size=2048)
        invoice = draft_make(customer=customer, lines=[line(name="Licencja roczna", net_price="999.99")])
        ticket = ticket_make(contact=contact, subject="Faktura nie dotarła", body="Proszę o duplikat faktury.")
        other = CustomerFactory(name="Obca Firma", email="obca@inna.test")
        DealFactory(customer=other, name="Szansa obcej firmy")
        NoteFactory(customer=other, body="Notatka obcej firmy")
        AttachmentFactory(customer=other, name="obcy-plik.pdf")
    return {
        "customer": customer,
        "contact": contact,
        "deal": deal,
        "task": task,
        "note": note,
        "file": upload,
        "invoice": invoice,
        "ticket": ticket,
        "other": other,
    }


def _items(data: dict[str, Any], key_plural: str) -> list[dict[str, Any]]:
    return data["records"][key_plural]["items"]


def test_customer_export_holds_every_record_of_the_customer_and_nothing_of_another(api_szef, person, szef):
    response = api_szef.get(f"/api/v1/customers/{person['customer'].pk}/personal-data/")

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    data = response.json()
    assert data["format_version"] == 1
    assert data["company"] and data["generated_at"]
    assert data["generated_by"]["email"] == szef.email
    assert data["subject"] == {"type": "customer", "id": person["customer"].pk, "name": "Hurtownia Śrubex"}
    assert data["customer"]["name"] == "Hurtownia Śrubex"
    assert data["customer"]["email"] == "biuro@srubex.test"
    assert "search_text" not in data["customer"]
    assert [c["fields"]["email"] for c in _items(data, "contacts")] == ["anna@srubex.test"]
    (deal,) = _items(data, "deals")
    assert deal["name"] == "Wdrożenie CRM Śrubex" and deal["fields"]["value"] == "12500.50"
    titles = {t["fields"]["title"] for t in _items(data, "tasks")}
    assert titles == {"Zadzwonić do Anny", "Przygotować demo dla szansy"}  # also a task of its deal
    (invoice,) = _items(data, "invoices")
    assert invoice["id"] == person["invoice"].pk
    assert [row["name"] for row in invoice["fields"]["lines"]] == ["Licencja roczna"]
    assert invoice["fields"]["lines"][0]["net_price"] == "999.99"
    assert isinstance(invoice["fields"]["issue_date"], str)
    (ticket,) = _items(data, "tickets")
    assert ticket["fields"]["subject"] == "Faktura nie dotarła"
    assert ticket["fields"]["contact"]["name"] == "Anna Nowak"
    assert "token" not in ticket["fields"]
    assert [r["body"] for r in ticket["fields"]["replies"]] == ["Proszę o duplikat faktury."]
    assert [n["body"] for n in data["notes"]] == ["Anna Nowak prosi o kontakt po 15:00"]
    (listed,) = data["files"]
    assert listed["name"] == "umowa-srubex.pdf" and listed["size"] == 2048 and "file" not in listed
    about = {(e["object_type"], e["object_id"]) for e in data["activity"]}
    assert {("invoicing.invoice", str(person["invoice"].pk)), ("tickets.ticket", str(person["ticket"].pk))} <= about
    assert "Obca Firma" not in response.content.decode()
    assert "obcej firmy" not in response.content.decode() and "obcy-plik" not in response.content.decode()


def test_contact_export_holds_the_person_their_customer_and_their_tickets(api_kierownik, person):
    response = api_kierownik.get(f"/api/v1/contacts/{person['contact'].pk}/personal-data/")

    assert response.status_code == 200
    data = response.json()
    assert data["subject"]["type"] == "contact"
    assert data["contact"]["name"] == "Anna Nowak" and data["contact"]["email"] == "anna@srubex.test"
    assert data["customer"] == {"id": person["customer"].pk, "name": "Hurtownia Śrubex"}
    assert [t["id"] for t in _items(data, "tickets")] == [person["ticket"].pk]
    assert [n["body"] for n in data["notes"]] == ["Anna Nowak prosi o kontakt po 15:00"]
    assert "deals" not in data["records"]
    assert "Obca Firma" not in response.content.decode()


def test_every_export_is_written_to_the_activity_log(api_szef, client_a, szef, person, company_a):
    api_szef.get(f"/api/v1/customers/{person['customer'].pk}/personal-data/")
    client_a.login_as(szef).get(f"/customers/contacts/{person['contact'].pk}/personal-data/")

    with schema_context(company_a.schema_name):
        entries = list(ActivityEntry.objects.filter(kind=ActivityKind.EXPORT).order_by("id"))
    assert [(e.user_id, e.object_type, e.object_id) for e in entries] == [
        (szef.pk, "contacts.customer", str(person["customer"].pk)),
        (szef.pk, "contacts.contactperson", str(person["contact"].pk)),
    ]
    assert entries[0].params["what"] == "personal_data" and entries[0].params["format"] == "json"
    assert "dane osobowe (RODO)" in entries[0].message


def test_the_card_download_is_an_attachment_with_the_same_data(client_a, kierownik, person):
    response = client_a.login_as(kierownik).get(f"/customers/{person['customer'].pk}/personal-data/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dane-osobowe-klient-')
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content)
    assert data["customer"]["name"] == "Hurtownia Śrubex"
    assert [d["name"] for d in _items(data, "deals")] == ["Wdrożenie CRM Śrubex"]


def test_contact_download_from_the_card_is_an_attachment(client_a, szef, person):
    response = client_a.login_as(szef).get(f"/customers/contacts/{person['contact'].pk}/personal-data/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dane-osobowe-osoba-')
    assert json.loads(response.content)["contact"]["name"] == "Anna Nowak"


@pytest.mark.parametrize("url", ["/api/v1/customers/{c}/personal-data/", "/api/v1/contacts/{p}/personal-data/"])
def test_pracownik_may_not_export_personal_data_from_the_api(api_pracownik, person, url, company_a):
    response = api_pracownik.get(url.format(c=person["customer"].pk, p=person["contact"].pk))

    assert response.status_code == 403
    with schema_context(company_a.schema_name):
        assert not ActivityEntry.objects.filter(kind=ActivityKind.EXPORT).exists()


@pytest.mark.parametrize("url", ["/customers/{c}/personal-data/", "/customers/contacts/{p}/personal-data/"])
def test_pracownik_may_not_download_personal_data_from_the_card(client_a, pracownik, person, url):
    response = client_a.login_as(pracownik).get(url.format(c=person["customer"].pk, p=person["contact"].pk))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/customers/{c}/personal-data/",
        "/api/v1/contacts/{p}/personal-data/",
    ],
)
def test_restricted_pracownik_gets_not_found_for_a_customer_he_cannot_see(
    api_restricted_pracownik, person, url, company_a
):
    with schema_context(company_a.schema_name):
        hidden = CustomerFactory(name="Cudzy klient", kind=CustomerKind.COMPANY)
        hidden_contact = ContactPersonFactory(customer=hidden)
    response = api_restricted_pracownik.get(url.format(c=hidden.pk, p=hidden_contact.pk))

    assert response.status_code == 404


def test_restricted_pracownik_on_his_own_customer_is_refused_by_rank(api_restricted_pracownik, person):
    response = api_restricted_pracownik.get(f"/api/v1/customers/{person['customer'].pk}/personal-data/")

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/customers/{c}/personal-data/",
        "/api/v1/contacts/{p}/personal-data/",
    ],
)
def test_another_companys_szef_gets_not_found_from_the_api(api_outsider, person, url):
    response = api_outsider.get(url.format(c=person["customer"].pk, p=person["contact"].pk))

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/customers/{c}/personal-data/", "/customers/contacts/{p}/personal-data/"])
def test_another_companys_szef_gets_not_found_from_the_page(client_b, outsider, person, url):
    response = client_b.login_as(outsider).get(url.format(c=person["customer"].pk, p=person["contact"].pk))

    assert response.status_code == 404


def test_card_shows_the_download_to_kierownik_but_not_to_pracownik(client_a, kierownik, pracownik, person):
    customer = person["customer"]
    card = client_a.login_as(kierownik).get(f"/customers/{customer.pk}/")
    contacts_tab = client_a.get(f"/customers/{customer.pk}/?tab=contacts")
    assert f'href="/customers/{customer.pk}/personal-data/"' in card.content.decode()
    assert "Dane osobowe (RODO)" in card.content.decode()
    assert f'href="/customers/contacts/{person["contact"].pk}/personal-data/"' in contacts_tab.content.decode()

    card = client_a.login_as(pracownik).get(f"/customers/{customer.pk}/")
    contacts_tab = client_a.get(f"/customers/{customer.pk}/?tab=contacts")
    assert "personal-data" not in card.content.decode()
    assert "personal-data" not in contacts_tab.content.decode()


def test_the_export_is_described_in_the_api_schema():
    for path in ("/api/v1/customers/{id}/personal-data/", "/api/v1/contacts/{id}/personal-data/"):
        operation = SCHEMA["paths"][path]["get"]
        assert set(operation["responses"]) >= {"200", "403", "404"}
        assert operation["description"]


def test_a_suspended_company_can_still_download_but_the_api_is_locked(client_a, api_szef, szef, person, company_a):
    company_set(company_a, status=CompanyStatus.SUSPENDED)

    page = client_a.login_as(szef).get(f"/customers/{person['customer'].pk}/personal-data/")
    api = api_szef.get(f"/api/v1/customers/{person['customer'].pk}/personal-data/")

    assert page.status_code == 200 and page["Content-Disposition"].startswith("attachment")
    assert api.status_code == 402


def test_the_schema_describes_the_export_in_english_for_an_english_reader(client_a, szef):
    client_a.cookies["django_language"] = "en"
    response = client_a.login_as(szef).get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    operation = json.loads(response.content)["paths"]["/api/v1/customers/{id}/personal-data/"]["get"]

    assert operation["summary"] == "Customer's personal data (GDPR)"
    assert "Every download is written to the activity log." in operation["description"]


def test_the_number_of_queries_does_not_grow_with_the_customers_records(person, szef, company_a):
    customer, contact = person["customer"], person["contact"]
    with schema_context(company_a.schema_name):
        with CaptureQueriesContext(connection) as before:
            customer_personal_data(customer=customer, user=szef)
        for n in range(3):
            DealFactory(customer=customer, name=f"Kolejna szansa {n}")
            draft_make(customer=customer, lines=[line(), line(name=f"Pozycja {n}")])
            ticket_make(contact=contact, subject=f"Kolejne zgłoszenie {n}")
            NoteFactory(customer=customer)
        with CaptureQueriesContext(connection) as after:
            data = customer_personal_data(customer=customer, user=szef)

    assert len(_items(data, "tickets")) == 4 and len(_items(data, "invoices")) == 4

    def reads(captured: CaptureQueriesContext) -> int:
        return sum(not q["sql"].startswith("SET ") for q in captured.captured_queries)

    assert reads(after) == reads(before)
