"""Anonymising a person (RODO, issue 18): no trace of them in any table, file or search
of the company; amounts kept; issued invoices kept as legal documents; Szef only."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.contacts.models import ContactPerson, Customer, CustomerKind
from crm.contacts.services import contact_create, customer_create
from crm.invoicing.models import Invoice
from crm.notes.models import Note
from crm.notes.services import note_create
from crm.privacy.models import ConsentEvent
from crm.sales.models import Deal
from crm.sales.services import deal_delete
from crm.tickets.models import TicketReply
from crm.trash.models import TrashEntry
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.factories import draft_make, issued_make, line
from tests.crm.notes.factories import AttachmentFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.tickets.factories import ticket_make

NAME, EMAIL, PHONE = "Zofia Wiśniewska", "zofia.wisniewska@poczta.test", "+48 601 234 567"
TRACES = ["Wiśniewska", "wisniewska", EMAIL, "601 234 567", "601234567"]
CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE = "Bogumił Żółtowski", "b.zoltowski@firma.test", "502 111 222"
CONTACT_TRACES = ["Żółtowski", "zoltowski", CONTACT_EMAIL, CONTACT_PHONE, "502111222"]


def _hits(needles: list[str]) -> set[tuple[str, str]]:
    """(table, column) of every text, varchar, json(b) or array column of the company
    schema holding one of `needles` (case-insensitive), generated columns included."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.table_name, c.column_name FROM information_schema.columns c
               JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
               WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                 AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'tsvector'))"""
        )
        columns = cursor.fetchall()
        found = set()
        for table, column in columns:
            for needle in needles:
                cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1', [f"%{needle}%"])
                if cursor.fetchone():
                    found.add((table, column))
    return found


@pytest.fixture
def zofia(company_a: Any, szef: Any, api_szef: Any) -> dict[str, Any]:
    """A person customer with consents, deals, a note, a file, a ticket with an e-mail,
    a deleted deal in the trash, a draft and an issued invoice; and another customer."""
    with schema_context(company_a.schema_name):
        customer = customer_create(
            actor=szef,
            data={
                "kind": CustomerKind.PERSON,
                "name": NAME,
                "email": EMAIL,
                "phone": PHONE,
                "street": "ul. Kwiatowa 12",
                "postal_code": "30-001",
                "city": "Kraków",
            },
        )
        deal = DealFactory(customer=customer, name=f"Wdrożenie {NAME}", value=Decimal("5000.00"))
        note_create(target=customer, author=szef, body=f"{NAME} prosi o telefon pod {PHONE}")
        upload = AttachmentFactory(customer=customer, name="umowa-zofia.pdf")
        stored = Path(upload.file.path)
        ticket_make(customer=customer, subject=f"Pytanie: {NAME}", body=f"Piszę z {EMAIL}", requester_email=EMAIL)
        old = DealFactory(customer=customer, name=f"Stary temat {NAME}")
        deal_delete(deal=old, actor=szef)
        draft = draft_make(customer=customer, lines=[line(name="Konsultacja", net_price="200.00")])
        issued = issued_make(customer=customer, lines=[line(name="Szkolenie", net_price="800.00")])
        other = CustomerFactory(name="Hurtownia Obok", email="biuro@obok.test")
        note_create(target=other, author=szef, body="Rozmowa o dostawie")
    api_szef.post(
        f"/api/v1/customers/{customer.pk}/consents/",
        {"channel": "email", "granted": True, "source": "web_form"},
        format="json",
    )
    api_szef.get(f"/api/v1/customers/{customer.pk}/personal-data/")
    return {
        "customer": customer,
        "deal": deal,
        "file": upload,
        "stored": stored,
        "draft": draft,
        "issued": issued,
        "other": other,
    }


def test_anonymised_customer_leaves_no_trace_in_any_table_file_or_search(
    api_szef, client_a, szef, zofia, company_a, django_capture_on_commit_callbacks
):
    customer = zofia["customer"]
    stored = zofia["stored"]
    assert stored.exists()
    with schema_context(company_a.schema_name):
        assert {t for t, _ in _hits(TRACES)} >= {"contacts_customer", "sales_deal", "notes_note", "trash_trashentry"}

    with django_capture_on_commit_callbacks(execute=True):
        response = api_szef.post(f"/api/v1/customers/{customer.pk}/anonymise/", {"confirm": " zofia  WIŚNIEWSKA "})

    assert response.status_code == 200
    assert response.json() == {"id": customer.pk, "name": f"Osoba zanonimizowana #{customer.pk}"}
    with schema_context(company_a.schema_name):
        # only the issued invoice keeps the buyer's name and address (a legal document)
        assert _hits(TRACES[:2]) == {("invoicing_invoice", "buyer")}
        assert _hits(TRACES[2:]) == set()
        issued = Invoice.objects.get(pk=zofia["issued"].pk)
        assert issued.buyer["name"] == NAME and issued.buyer["email"] == "" and issued.buyer["phone"] == ""
        assert issued.gross_total == zofia["issued"].gross_total
        assert Deal.objects.get(pk=zofia["deal"].pk).value == Decimal("5000.00")
        assert Deal.objects.filter(customer=customer).count() == 1
        assert Invoice.objects.filter(customer=customer).count() == 2
        assert not Note.objects.filter(customer=customer).exists()
        assert not ConsentEvent.objects.filter(customer=customer).exists()
        assert not TrashEntry.objects.exists()
        assert set(TicketReply.objects.filter(ticket__customer=customer).values_list("body", flat=True)) == {
            "[treść usunięta: dane osoby zanonimizowane]"
        }
        assert Note.objects.get(customer=zofia["other"]).body == "Rozmowa o dostawie"
        entry = ActivityEntry.objects.filter(code="person.anonymised").get()
        assert entry.user_id == szef.pk and entry.object_id == str(customer.pk)
    assert not stored.exists()
    page = client_a.login_as(szef).get("/search/", {"q": "Wiśniewska"})
    assert page.status_code == 200
    assert NAME not in page.content.decode()
    assert "Osoba zanonimizowana" not in page.content.decode()  # nothing found at all
    api_search = api_szef.get("/api/v1/customers/", {"search": "wisniewska"})
    assert api_search.json()["results"] == []


def test_anonymised_contact_leaves_no_trace_and_keeps_the_company(api_szef, szef, company_a):
    with schema_context(company_a.schema_name):
        firm = customer_create(actor=szef, data={"kind": CustomerKind.COMPANY, "name": "Drukarnia Press"})
        contact = contact_create(
            customer=firm, actor=szef, data={"name": CONTACT_NAME, "email": CONTACT_EMAIL, "phone": CONTACT_PHONE}
        )
        ticket = ticket_make(contact=contact, subject="Reklamacja", body=f"Pozdrawiam, {CONTACT_NAME}")
        note_create(target=firm, author=szef, body=f"Dzwonić do {CONTACT_NAME} rano")
    api_szef.post(
        f"/api/v1/contacts/{contact.pk}/consents/",
        {"channel": "phone", "granted": True, "source": "phone"},
        format="json",
    )

    response = api_szef.post(f"/api/v1/contacts/{contact.pk}/anonymise/", {"confirm": CONTACT_NAME})

    assert response.status_code == 200
    with schema_context(company_a.schema_name):
        assert _hits(CONTACT_TRACES) == set()
        assert Customer.objects.get(pk=firm.pk).name == "Drukarnia Press"
        assert ContactPerson.objects.get(pk=contact.pk).name == f"Osoba zanonimizowana #{contact.pk}"
        assert Note.objects.get(customer=firm).body == "Dzwonić do [dane usunięte] rano"
        assert ticket.replies.count() == 1
    assert api_szef.get("/api/v1/customers/", {"search": "zoltowski"}).json()["results"] == []


def test_a_wrong_confirmation_changes_nothing(api_szef, zofia, company_a):
    customer = zofia["customer"]

    response = api_szef.post(f"/api/v1/customers/{customer.pk}/anonymise/", {"confirm": "Zofia"})

    assert response.status_code == 400
    assert "imię i nazwisko" in response.json()["confirm"][0]
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=customer.pk).email == EMAIL
        assert Note.objects.filter(customer=customer).exists()


def test_a_company_customer_is_not_anonymised_as_a_person(api_szef, company_a):
    with schema_context(company_a.schema_name):
        firm = CustomerFactory(name="Hurtownia Firma", kind=CustomerKind.COMPANY)

    response = api_szef.post(f"/api/v1/customers/{firm.pk}/anonymise/", {"confirm": "Hurtownia Firma"})

    assert response.status_code == 400
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=firm.pk).name == "Hurtownia Firma"


@pytest.mark.parametrize("who", ["api_kierownik", "api_pracownik"])
def test_only_szef_may_anonymise(request, who, zofia, company_a):
    client = request.getfixturevalue(who)
    customer = zofia["customer"]

    response = client.post(f"/api/v1/customers/{customer.pk}/anonymise/", {"confirm": NAME})

    assert response.status_code == 403
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=customer.pk).name == NAME


def test_another_companys_szef_gets_not_found(api_outsider, zofia, company_a):
    response = api_outsider.post(f"/api/v1/customers/{zofia['customer'].pk}/anonymise/", {"confirm": NAME})

    assert response.status_code == 404
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=zofia["customer"].pk).name == NAME


def test_the_confirmation_page_explains_invoices_and_anonymises_on_the_typed_name(client_a, szef, zofia, company_a):
    customer = zofia["customer"]
    client = client_a.login_as(szef)

    page = client.get(f"/customers/{customer.pk}/anonymise/")
    assert page.status_code == 200
    assert "Wystawione faktury zostają bez zmian" in page.content.decode()
    wrong = client.post(f"/customers/{customer.pk}/anonymise/", {"confirm": "ktoś inny"})
    assert wrong.status_code == 400
    assert "Wpisz dokładnie imię i nazwisko" in wrong.content.decode()
    done = client.post(f"/customers/{customer.pk}/anonymise/", {"confirm": NAME})

    assert done.status_code == 302
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=customer.pk).email == ""


@pytest.mark.parametrize("who", ["kierownik", "pracownik"])
def test_the_confirmation_page_is_refused_below_szef(request, client_a, who, zofia):
    user = request.getfixturevalue(who)

    response = client_a.login_as(user).get(f"/customers/{zofia['customer'].pk}/anonymise/")

    assert response.status_code == 403


def test_the_confirmation_page_of_another_company_is_not_found(client_b, outsider, zofia):
    response = client_b.login_as(outsider).get(f"/customers/{zofia['customer'].pk}/anonymise/")

    assert response.status_code == 404


def test_contact_confirmation_page_for_szef_only_and_not_for_outsiders(
    client_a, client_b, szef, kierownik, outsider, company_a
):
    with schema_context(company_a.schema_name):
        firm = CustomerFactory(name="Drukarnia Press", kind=CustomerKind.COMPANY)
        contact = contact_create(customer=firm, actor=None, data={"name": CONTACT_NAME})
    url = f"/customers/contacts/{contact.pk}/anonymise/"

    assert client_a.login_as(szef).get(url).status_code == 200
    assert client_a.login_as(kierownik).get(url).status_code == 403
    assert client_b.login_as(outsider).get(url).status_code == 404
