"""RODO for a lead (a person before he is a customer): everything the company holds about
him as JSON from the API and as a download from the lead's card, for Szef and Kierownik;
nobody sees another company's lead or a lead hidden from him."""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from tests.crm.leads.factories import lead_make
from tests.crm.notes.factories import NoteFactory
from tests.crm.tasks.factories import TaskFactory


def _lead(company, owner=None):
    with schema_context(company.schema_name):
        lead = lead_make(name="Zofia Wiśniewska", email="zofia@sklep.test", phone="600 100 200", owner=owner)
        NoteFactory(lead=lead, body="Prosi o ofertę na wiosnę.")
        TaskFactory(lead=lead, title="Oddzwonić do pani Zofii")
    return lead


def test_the_api_gives_the_lead_his_notes_tasks_and_history(api_kierownik, company_a):
    lead = _lead(company_a)

    response = api_kierownik.get(f"/api/v1/leads/{lead.pk}/personal-data/")

    assert response.status_code == 200
    data = response.json()
    assert data["subject"] == {"type": "lead", "id": lead.pk, "name": str(lead)}
    assert data["lead"]["email"] == "zofia@sklep.test" and data["lead"]["phone"] == "600 100 200"
    assert [n["body"] for n in data["notes"]] == ["Prosi o ofertę na wiosnę."]
    assert [t["name"] for t in data["records"]["tasks"]["items"]] == ["Oddzwonić do pani Zofii"]
    with schema_context(company_a.schema_name):
        entry = ActivityEntry.objects.get(code="export")
    assert entry.params["filters"] == {"lead": str(lead.pk)}


def test_the_card_offers_the_download_to_szef_and_not_to_pracownik(client_a, szef, pracownik, company_a):
    lead = _lead(company_a, owner=pracownik)
    client_a.login_as(szef)
    assert 'data-testid="personal-data-download"' in client_a.get(f"/leads/{lead.pk}/").content.decode()
    download = client_a.get(f"/customers/leads/{lead.pk}/personal-data/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert json.loads(download.content)["lead"]["name"] == "Zofia Wiśniewska"

    client_a.login_as(pracownik)
    assert 'data-testid="personal-data-download"' not in client_a.get(f"/leads/{lead.pk}/").content.decode()
    assert client_a.get(f"/customers/leads/{lead.pk}/personal-data/").status_code == 403


def test_ranks_and_outsiders(api_pracownik, api_outsider, company_a, szef):
    lead = _lead(company_a, owner=szef)
    assert api_pracownik.get(f"/api/v1/leads/{lead.pk}/personal-data/").status_code == 403
    assert api_outsider.get(f"/api/v1/leads/{lead.pk}/personal-data/").status_code == 404


def test_a_lead_hidden_from_a_restricted_pracownik_is_not_found(api_restricted_pracownik, company_a, szef):
    lead = _lead(company_a, owner=szef)
    assert api_restricted_pracownik.get(f"/api/v1/leads/{lead.pk}/personal-data/").status_code == 404
