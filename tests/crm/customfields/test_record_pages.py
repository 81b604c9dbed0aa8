"""Custom fields on the pages of records: the forms grow a field per custom field
(checked by type, errors next to the field), cards show the values, the customers and
deals lists show chosen ones as columns and filter by ?cf_<key>=."""

from __future__ import annotations

import pytest

from crm.contacts.models import Customer
from crm.projects.models import Project
from crm.sales.models import Deal
from crm.tickets.models import Ticket
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.customfields.helpers import field_make
from tests.crm.projects.factories import project_make
from tests.crm.sales.factories import DealFactory
from tests.crm.tickets.factories import ticket_make

pytestmark = pytest.mark.django_db


def test_the_customer_form_saves_custom_fields_and_the_card_shows_them(client_a, szef, in_a):
    with in_a():
        field_make(name="Branża", type="select", options=["IT", "Handel"])
        field_make(name="Pracownicy", type="number")
        field_make(name="Partner", type="checkbox")
    client_a.login_as(szef)
    assert 'name="cf_branza"' in client_a.get("/customers/new/").content.decode()

    response = client_a.post(
        "/customers/new/", {"kind": "company", "name": "Alfa", "cf_branza": "IT", "cf_pracownicy": "1 200"}
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    with in_a():
        customer = Customer.objects.get(name="Alfa")
    assert customer.custom_fields == {"branza": "IT", "pracownicy": 1200, "partner": False}
    card = client_a.get(f"/customers/{customer.pk}/").content.decode()
    assert 'data-testid="cf-branza">IT<' in card and 'data-testid="cf-partner">nie<' in card


def test_a_bad_custom_value_in_the_form_is_shown_next_to_the_field_and_nothing_is_saved(client_a, szef, in_a):
    with in_a():
        field_make(name="Pracownicy", type="number", required=True)
    client_a.login_as(szef)

    response = client_a.post("/customers/new/", {"kind": "company", "name": "Alfa", "cf_pracownicy": "dużo"})
    empty = client_a.post("/customers/new/", {"kind": "company", "name": "Beta"})

    assert response.status_code == 400 and "Podaj liczbę całkowitą." in response.content.decode()
    assert empty.status_code == 400 and "jest wymagane" in empty.content.decode()
    with in_a():
        assert not Customer.objects.exists()


def test_the_customer_list_shows_columns_and_filters_by_a_custom_field(client_a, szef, in_a):
    with in_a():
        field_make(name="Branża", type="select", options=["IT", "Handel"], show_in_list=True)
        field_make(name="Opis", type="text")
        CustomerFactory(name="Alfa", custom_fields={"branza": "IT", "opis": "Hurtownia"})
        CustomerFactory(name="Beta", custom_fields={"branza": "Handel"})
    client_a.login_as(szef)

    page = client_a.get("/customers/").content.decode()
    filtered = client_a.get("/customers/?cf_branza=IT").content.decode()
    by_text = client_a.get("/customers/?cf_opis=hurt").content.decode()

    assert 'data-testid="cf-column">Branża<' in page and 'id="f-cf_branza"' in page
    assert "Alfa" in filtered and "Beta" not in filtered
    assert "Alfa" in by_text and "Beta" not in by_text


def test_the_deal_form_list_and_card_carry_custom_fields(client_a, szef, in_a):
    with in_a():
        field_make(model="deal", name="Kanał", type="select", options=["Targi", "WWW"], show_in_list=True)
        customer = CustomerFactory(owner=szef)
        deal = DealFactory(customer=customer, owner=szef, name="Wdrożenie")
        DealFactory(customer=customer, owner=szef, name="Serwis", custom_fields={"kanal": "WWW"})
    client_a.login_as(szef)
    form = client_a.get(f"/deals/{deal.pk}/edit/").content.decode()
    assert 'name="cf_kanal"' in form

    data = {
        "name": "Wdrożenie",
        "customer": customer.pk,
        "value": "100",
        "currency": "PLN",
        "status": deal.status_id,
        "stage": deal.stage_id or "",
        "owner": szef.pk,
        "cf_kanal": "Targi",
    }
    assert client_a.post(f"/deals/{deal.pk}/edit/", data).status_code == 302
    with in_a():
        assert Deal.objects.get(pk=deal.pk).custom_fields == {"kanal": "Targi"}
    listed = client_a.get("/deals/list/?cf_kanal=Targi").content.decode()
    assert "Wdrożenie" in listed and "Serwis" not in listed
    assert 'data-testid="cf-kanal">Targi<' in client_a.get(f"/deals/{deal.pk}/").content.decode()


def test_ticket_and_project_forms_save_custom_fields(client_a, szef, in_a):
    with in_a():
        field_make(model="ticket", name="Numer seryjny", type="text")
        field_make(model="project", name="Budżet klienta", type="decimal")
        ticket = ticket_make(assignee=szef)
        project = project_make(owner=szef)
    client_a.login_as(szef)

    ticket_page = client_a.get(f"/tickets/{ticket.pk}/edit/").content.decode()
    project_page = client_a.get(f"/projects/{project.pk}/edit/").content.decode()

    assert 'name="cf_numer_seryjny"' in ticket_page and 'name="cf_budzet_klienta"' in project_page
    with in_a():
        from crm.projects.services import project_update
        from crm.tickets.services import ticket_update

        ticket_update(ticket=ticket, actor=szef, custom_fields={"numer_seryjny": "SN-1"})
        project_update(project=project, actor=szef, custom_fields={"budzet_klienta": "1500.5"})
        assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"numer_seryjny": "SN-1"}
        assert Project.objects.get(pk=project.pk).custom_fields == {"budzet_klienta": "1500.5"}
    assert 'data-testid="cf-numer_seryjny">SN-1<' in client_a.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="cf-budzet_klienta">1500,5<' in client_a.get(f"/projects/{project.pk}/").content.decode()


def test_the_ticket_and_project_lists_show_columns_and_filter_by_a_custom_field(client_a, szef, in_a):
    with in_a():
        field_make(model="ticket", name="Numer seryjny", type="text", show_in_list=True)
        field_make(model="project", name="Etap", type="select", options=["Analiza", "Wdrożenie"], show_in_list=True)
        ticket_make(assignee=szef, subject="Drukarka SN-1", custom_fields={"numer_seryjny": "SN-1"})
        ticket_make(assignee=szef, subject="Skaner", custom_fields={"numer_seryjny": "SK-9"})
        project_make(owner=szef, name="Projekt Analiza", custom_fields={"etap": "Analiza"})
        project_make(owner=szef, name="Projekt Wdrożenie", custom_fields={"etap": "Wdrożenie"})
    client_a.login_as(szef)

    tickets = client_a.get("/tickets/").content.decode()
    tickets_filtered = client_a.get("/tickets/?cf_numer_seryjny=sn-1").content.decode()
    projects = client_a.get("/projects/").content.decode()
    projects_filtered = client_a.get("/projects/?cf_etap=Analiza").content.decode()
    projects_bad = client_a.get("/projects/?cf_etap=Nie%20ma").content.decode()

    assert 'data-testid="cf-column">Numer seryjny<' in tickets and 'id="f-cf_numer_seryjny"' in tickets
    assert "SK-9" in tickets and "Drukarka SN-1" in tickets_filtered and "Skaner" not in tickets_filtered
    assert 'data-testid="cf-column">Etap<' in projects and 'id="f-cf_etap"' in projects
    assert "Projekt Analiza" in projects_filtered and "Projekt Wdrożenie" not in projects_filtered
    assert "Projekt Analiza" not in projects_bad
