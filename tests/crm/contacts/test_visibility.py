"""Szef can restrict a Pracownik to their own customers: lists, search, export, API,
counts, the card and its timeline all honour it."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.accounts.models import Role
from crm.accounts.services import user_deactivate
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from crm.notes.models import TimelineEvent
from crm.sales.services import deal_create, deal_delete, deal_update
from tests.crm.accounts.factories import UserFactory
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory, deal_make, task_make
from tests.crm.notes.factories import NoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_customers(company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        mine = CustomerFactory(owner=pracownik, name="Mój Klient Łódź")
        theirs = CustomerFactory(owner=szef, name="Klient Szefa Łódź")
        ContactPersonFactory(customer=theirs, name="Osoba Szefa")
        ContactPersonFactory(customer=mine, name="Moja Osoba")
    return mine, theirs


def test_without_the_switch_pracownik_sees_every_customer(client_a, pracownik, two_customers):
    html = client_a.login_as(pracownik).get("/customers/").content.decode()
    assert "Mój Klient Łódź" in html
    assert "Klient Szefa Łódź" in html


def test_restricted_pracownik_list_search_and_count_show_only_own(
    client_a, pracownik, two_customers, restricted_pracownik
):
    client_a.login_as(pracownik)
    html = client_a.get("/customers/", {"q": "lodz"}).content.decode()
    assert "Mój Klient Łódź" in html
    assert "Klient Szefa Łódź" not in html
    assert "1 klient" in html
    assert 'name="owner"' not in html  # no owner filter to probe others with


def test_restricted_pracownik_gets_404_on_a_colleagues_card_and_its_actions(
    client_a, pracownik, two_customers, restricted_pracownik
):
    _mine, theirs = two_customers
    client_a.login_as(pracownik)
    assert client_a.get(f"/customers/{theirs.pk}/").status_code == 404
    assert client_a.post(f"/customers/{theirs.pk}/edit/", {"name": "x"}).status_code == 404
    assert client_a.post(f"/customers/{theirs.pk}/follow/").status_code == 404


def test_restricted_pracownik_export_contains_only_own(client_a, pracownik, two_customers, restricted_pracownik):
    with schema_context(client_a.company.schema_name):  # Szef lets Pracownik export (off by default)
        CompanySettings.objects.filter(pk=1).update(pracownik_may_export=True)
    response = client_a.login_as(pracownik).get("/customers/export/", {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Mój Klient Łódź" in body
    assert "Klient Szefa Łódź" not in body


def test_restricted_pracownik_api_shows_only_own(
    company_a, pracownik, two_customers, restricted_pracownik, api_pracownik
):
    _mine, theirs = two_customers
    client = api_pracownik
    rows = client.get("/api/v1/customers/", {"search": "lodz"}).json()
    assert rows["count"] == 1
    assert rows["results"][0]["name"] == "Mój Klient Łódź"
    assert client.get(f"/api/v1/customers/{theirs.pk}/").status_code == 404
    contacts = client.get("/api/v1/contacts/").json()
    assert [c["name"] for c in contacts["results"]] == ["Moja Osoba"]


def test_restricted_pracownik_creates_customers_for_themselves_only(
    client_a, company_a, szef, pracownik, restricted_pracownik, api_pracownik
):
    client = api_pracownik
    refused = client.post(
        "/api/v1/customers/", {"name": "Dla szefa", "owner": szef.pk}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "owner" in refused.json()
    created = client.post("/api/v1/customers/", {"name": "Dla mnie"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["owner"] == pracownik.pk
    page = client_a.login_as(pracownik).get("/customers/new/").content.decode()
    assert 'name="owner"' not in page


def test_duplicate_warning_does_not_reveal_a_colleagues_customer(
    client_a, pracownik, szef, company_a, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Ukryty Duplikat", email="dup@firma.pl")
    html = client_a.login_as(pracownik).get("/customers/duplicates/", {"email": "dup@firma.pl"}).content.decode()
    assert "Możliwy duplikat" in html
    assert "Ukryty Duplikat" not in html


def test_timeline_hides_deals_and_tasks_the_pracownik_may_not_see(
    client_a, company_a, szef, pracownik, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=pracownik)
        own_deal = deal_make(customer, owner=pracownik, name="Moja Szansa")
        other_deal = deal_make(customer, owner=szef, name="Szansa Szefa")
        task_make(customer=customer, assignee=szef, created_by=szef, visibility="owner", title="Prywatne Zadanie Szefa")
        NoteFactory(customer=customer, deal=other_deal, body="Notatka o szansie szefa", author=szef)
        TimelineEvent.objects.create(customer=customer, deal=other_deal, kind="x", message="Zmiana w szansie szefa")
        TimelineEvent.objects.create(customer=customer, deal=own_deal, kind="x", message="Zmiana w mojej szansie")
    html = client_a.login_as(pracownik).get(f"/customers/{customer.pk}/?tab=timeline").content.decode()
    assert "Moja Szansa" in html
    assert "Zmiana w mojej szansie" in html
    for hidden in ("Szansa Szefa", "Prywatne Zadanie Szefa", "Notatka o szansie szefa", "Zmiana w szansie szefa"):
        assert hidden not in html
    sales = client_a.get(f"/customers/{customer.pk}/?tab=sales").content.decode()
    assert "Moja Szansa" in sales and "Szansa Szefa" not in sales


def test_kierownik_sees_everything_even_when_restricted(
    client_a, company_a, szef, kierownik, two_customers, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        assert Customer.objects.count() == 2
    html = client_a.login_as(kierownik).get("/customers/").content.decode()
    assert "Mój Klient Łódź" in html and "Klient Szefa Łódź" in html


def _listed(client, customer_name: str) -> bool:
    return customer_name in client.get("/customers/", {"q": "przekazana"}).content.decode()


def test_restricted_pracownik_sees_a_customer_while_he_owns_one_of_its_deals(
    client_a, company_a, szef, pracownik, restricted_pracownik
):
    """Given a deal, he finds its customer in his list; once the deal goes to someone
    else or is deleted, the customer is gone from his list again."""
    client_a.login_as(pracownik)
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef, name="Firma Przekazana")
    assert not _listed(client_a, "Firma Przekazana")
    with schema_context(company_a.schema_name):
        deal = deal_create(actor=szef, name="Dostawa", customer=customer, owner=pracownik)
    assert _listed(client_a, "Firma Przekazana")
    assert client_a.get(f"/customers/{customer.pk}/").status_code == 200
    with schema_context(company_a.schema_name):
        deal_update(deal=deal, actor=szef, owner=szef)
    assert not _listed(client_a, "Firma Przekazana")
    assert client_a.get(f"/customers/{customer.pk}/").status_code == 404
    with schema_context(company_a.schema_name):
        deal_update(deal=deal, actor=szef, owner=pracownik)
        second = deal_create(actor=szef, name="Serwis", customer=customer, owner=pracownik)
        deal_delete(deal=deal, actor=szef)
    assert _listed(client_a, "Firma Przekazana")  # the second deal still shows it
    with schema_context(company_a.schema_name):
        deal_delete(deal=second, actor=szef)
    assert not _listed(client_a, "Firma Przekazana")


def test_a_deal_moved_to_another_customer_moves_what_the_restricted_pracownik_sees(
    client_a, company_a, szef, pracownik, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        first = CustomerFactory(owner=szef, name="Pierwsza Przekazana")
        second = CustomerFactory(owner=szef, name="Druga Przekazana")
        deal = deal_create(actor=szef, name="Dostawa", customer=first, owner=pracownik)
        deal_update(deal=deal, actor=szef, customer=second)
    html = client_a.login_as(pracownik).get("/customers/", {"q": "przekazana"}).content.decode()
    assert "Druga Przekazana" in html
    assert "Pierwsza Przekazana" not in html
    assert "1 klient" in html


def test_deals_handed_over_on_deactivation_show_their_customers_to_the_new_owner(
    client_a, company_a, szef, pracownik, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        leaving = UserFactory(email="odchodzi@alfa.test", role=Role.PRACOWNIK)
        customer = CustomerFactory(owner=szef, name="Firma Przekazana Po Odejściu")
        deal_make(customer, owner=leaving)
        user_deactivate(user=leaving, handover={"customers": szef, "deals": pracownik, "tasks": szef})
    assert _listed(client_a.login_as(pracownik), "Firma Przekazana Po Odejściu")


def test_saving_a_customer_loaded_before_a_deal_was_added_keeps_the_deal_owner_seeing_it(
    client_a, company_a, szef, pracownik, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef, name="Firma Przekazana Stara Kopia")
        stale = Customer.objects.get(pk=customer.pk)
        deal_make(customer, owner=pracownik)
        stale.city = "Łódź"
        stale.save()
    assert _listed(client_a.login_as(pracownik), "Firma Przekazana Stara Kopia")
