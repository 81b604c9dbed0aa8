"""Issue 17: leads are found by the values of their textual custom fields (and by phone,
NIP and position) in the lead list (`?q=`), the API (`?search=`) and the global search,
never in another company; imported leads too; leads saved before the search text existed
are still found by their name and get it from `manage.py leads_search_text_fill`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from crm.contacts.imports import import_prepare, import_run
from crm.contacts.models import ImportStatus
from crm.leads.imports import LEAD_IMPORTER
from crm.leads.models import Lead
from crm.leads.services import lead_update
from tests.crm.customfields.helpers import field_make
from tests.crm.leads.factories import lead_make
from tests.crm.leads.test_lead_import import upload

pytestmark = pytest.mark.django_db


def _list_names(client, query: str) -> str:
    return client.get("/leads/", {"q": query}).content.decode()


def _api_names(api, query: str) -> list[str]:
    return [lead["name"] for lead in api.get("/api/v1/leads/", {"search": query}).json()["results"]]


def _global(client, query: str) -> str:
    return client.get("/search/", {"q": query, "partial": "1"}).content.decode()


def test_a_lead_is_found_by_a_text_custom_field_in_the_list_the_api_and_the_global_search(
    client_a, api_szef, szef, in_a
):
    with in_a():
        field_make(model="lead", name="Branża", type="text")
        field_make(model="lead", name="Kanały", type="multi_select", options=["Targi Poznań", "WWW"])
        field_make(model="lead", name="Pracownicy", type="number")
        lead = lead_make(
            actor=szef,
            name="Anna Nowak",
            company_name="Nowak Sp. z o.o.",
            email="anna@nowak.pl",
            custom_fields={"branza": "Hydraulika Śląska", "kanaly": ["Targi Poznań"], "pracownicy": 4242},
        )
        lead_make(actor=szef, name="Inny Lead", email="inny@x.pl", custom_fields={"branza": "Piekarnia"})
    client_a.login_as(szef)

    assert "Anna Nowak" in _list_names(client_a, "hydraulika slaska")
    assert "Inny Lead" not in _list_names(client_a, "hydraulika")
    assert _api_names(api_szef, "ŚLĄSKA") == ["Anna Nowak"]
    assert _api_names(api_szef, "poznan") == ["Anna Nowak"]  # a multi-select value
    assert _api_names(api_szef, "4242") == []  # numbers are filters, not search words
    found = _global(client_a, "hydraulika")
    assert 'data-testid="search-group-lead"' in found and f'href="/leads/{lead.pk}/"' in found
    assert "Inny Lead" not in found


def test_a_changed_custom_value_is_searched_and_the_old_one_no_longer(client_a, api_szef, szef, in_a):
    with in_a():
        field_make(model="lead", name="Branża", type="text")
        lead = lead_make(actor=szef, name="Anna Nowak", custom_fields={"branza": "Hydraulika"})
        lead_update(lead=lead, actor=szef, custom_fields={"branza": "Stolarstwo"})

    assert _api_names(api_szef, "stolarstwo") == ["Anna Nowak"]
    assert _api_names(api_szef, "hydraulika") == []


def test_a_lead_is_found_by_phone_digits_nip_and_position(api_szef, szef, in_a):
    with in_a():
        lead_make(actor=szef, name="Anna Nowak", phone="600-100-200", tax_id="5260001246", position="Dyrektor Zakupów")

    assert _api_names(api_szef, "600 100 200") == _api_names(api_szef, "600100200") == ["Anna Nowak"]
    assert _api_names(api_szef, "5260001246") == ["Anna Nowak"]
    assert _api_names(api_szef, "dyrektor zakupow") == ["Anna Nowak"]


def test_another_company_does_not_find_the_lead(client_b, api_outsider, outsider, szef, in_a):
    with in_a():
        field_make(model="lead", name="Branża", type="text")
        lead_make(actor=szef, name="Anna Nowak", custom_fields={"branza": "Hydraulika Śląska"})
    client_b.login_as(outsider)

    assert "Anna Nowak" not in _list_names(client_b, "hydraulika")
    assert _api_names(api_outsider, "hydraulika") == []
    assert 'data-testid="search-group-lead"' not in _global(client_b, "hydraulika")


def test_imported_leads_are_found_by_their_custom_field(api_szef, szef, in_a):
    with in_a():
        field_make(model="lead", name="Branża", type="text")
        job = import_prepare(
            upload=upload("Imię i nazwisko;E-mail;Branża\nAnna Nowak;anna@nowak.pl;Hydraulika Śląska\n"),
            user=szef,
            importer=LEAD_IMPORTER,
        )
        job.status = ImportStatus.QUEUED
        job.save()
        assert import_run(job.pk).created_count == 1
        job = import_prepare(
            upload=upload("Imię i nazwisko;E-mail;Branża\nAnna Nowak;anna@nowak.pl;Stolarstwo\n"),
            user=szef,
            importer=LEAD_IMPORTER,
        )
        job.status, job.duplicate_mode = ImportStatus.QUEUED, "update"
        job.save()
        assert import_run(job.pk).updated_count == 1

    assert _api_names(api_szef, "stolarstwo") == ["Anna Nowak"]
    assert _api_names(api_szef, "hydraulika") == []


def test_leads_saved_before_the_search_text_are_found_by_name_and_filled_by_the_command(
    client_a, api_szef, szef, company_a, in_a
):
    with in_a():
        field_make(model="lead", name="Branża", type="text")
        lead = lead_make(actor=szef, name="Łukasz Stary", custom_fields={"branza": "Hydraulika"})
        Lead.objects.filter(pk=lead.pk).update(search_text=None)  # as migration 0004 leaves it
    client_a.login_as(szef)

    assert _api_names(api_szef, "lukasz") == ["Łukasz Stary"]
    assert f'href="/leads/{lead.pk}/"' in _global(client_a, "lukasz")
    assert _api_names(api_szef, "hydraulika") == []

    out = StringIO()
    call_command("leads_search_text_fill", "--company", company_a.subdomain, stdout=out)
    call_command("leads_search_text_fill", "--company", company_a.subdomain, stdout=StringIO())  # again: nothing

    assert "1 leads filled" in out.getvalue()
    assert _api_names(api_szef, "hydraulika") == _api_names(api_szef, "lukasz") == ["Łukasz Stary"]
    with in_a():
        assert not Lead.objects.filter(search_text__isnull=True).exists()
