"""Custom fields on leads: defined in Settings for the record type "lead", they appear in
the lead form (checked by type), on the card, as list columns and filters (`?cf_<key>=`
on the page and the API), in the API's `custom_fields` object (unknown keys refused), in
the export and in the import mapping."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crm.contacts.imports import import_prepare, import_run
from crm.contacts.models import ImportStatus
from crm.leads.imports import LEAD_IMPORTER
from crm.leads.models import Lead
from tests.crm.customfields.helpers import field_make
from tests.crm.leads.factories import lead_make

pytestmark = pytest.mark.django_db


def _json(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_szef_defines_a_lead_field_through_the_settings_api(api_szef, api_pracownik):
    data = {"model": "lead", "name": "Kanał", "type": "select", "options": ["Targi", "WWW"], "show_in_list": True}

    created = _json(api_szef, "post", "/api/v1/settings/custom-fields/", data)
    refused = _json(api_pracownik, "post", "/api/v1/settings/custom-fields/", {**data, "name": "Inny"})

    assert created.status_code == 201 and created.json()["model"] == "lead" and created.json()["key"] == "kanal"
    assert refused.status_code == 403


def test_the_lead_api_stores_checks_and_filters_custom_fields(api_szef, szef, in_a):
    with in_a():
        field_make(model="lead", name="Kanał", type="select", options=["Targi", "WWW"])
        field_make(model="lead", name="Pracownicy", type="number")
        lead_make(actor=szef, name="Z WWW", email="www@x.pl", custom_fields={"kanal": "WWW"})

    created = _json(
        api_szef, "post", "/api/v1/leads/", {"name": "Z targów", "custom_fields": {"kanal": "targi", "pracownicy": 12}}
    )
    unknown = _json(api_szef, "post", "/api/v1/leads/", {"name": "Zły", "custom_fields": {"branza": "IT"}})
    bad = _json(api_szef, "post", "/api/v1/leads/", {"name": "Zły", "custom_fields": {"pracownicy": "dużo"}})
    listed = api_szef.get("/api/v1/leads/?cf_kanal=Targi").json()["results"]

    assert created.status_code == 201 and created.json()["custom_fields"] == {"kanal": "Targi", "pracownicy": 12}
    assert unknown.status_code == 400 and "branza" in json.dumps(unknown.json())
    assert bad.status_code == 400 and "pracownicy" in json.dumps(bad.json())
    assert [lead["name"] for lead in listed] == ["Z targów"]
    with in_a():
        assert not Lead.objects.filter(name="Zły").exists()


def test_another_company_cannot_read_or_write_a_leads_custom_fields(api_outsider, szef, in_a):
    with in_a():
        field_make(model="lead", name="Kanał", type="text")
        lead = lead_make(actor=szef, custom_fields={"kanal": "Targi"})

    assert api_outsider.get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    assert (
        _json(api_outsider, "patch", f"/api/v1/leads/{lead.pk}/", {"custom_fields": {"kanal": "X"}}).status_code == 404
    )
    with in_a():
        lead.refresh_from_db()
    assert lead.custom_fields == {"kanal": "Targi"}


def test_the_lead_form_card_list_and_export_carry_custom_fields(client_a, szef, in_a):
    with in_a():
        field_make(model="lead", name="Kanał", type="select", options=["Targi", "WWW"], show_in_list=True)
        field_make(model="lead", name="Pracownicy", type="number")
        other = lead_make(actor=szef, name="Z WWW", email="www@x.pl", custom_fields={"kanal": "WWW"})
    client_a.login_as(szef)
    assert 'name="cf_kanal"' in client_a.get("/leads/new/").content.decode()
    base = {"value": "0", "status": other.status_id}

    bad = client_a.post("/leads/new/", {**base, "name": "Zły", "cf_pracownicy": "dużo"})
    saved = client_a.post("/leads/new/", {**base, "name": "Z targów", "cf_kanal": "Targi", "cf_pracownicy": "7"})

    assert bad.status_code == 400 and 'id="id_cf_pracownicy' in bad.content.decode()
    assert saved.status_code == 302, saved.content.decode()[:2000]
    with in_a():
        assert not Lead.objects.filter(name="Zły").exists()
        lead = Lead.objects.get(name="Z targów")
    assert lead.custom_fields == {"kanal": "Targi", "pracownicy": 7}
    card = client_a.get(f"/leads/{lead.pk}/").content.decode()
    assert card.count('data-testid="cf-kanal">Targi<') == 1
    page = client_a.get("/leads/").content.decode()
    filtered = client_a.get("/leads/?cf_kanal=Targi").content.decode()
    assert 'data-testid="cf-column">Kanał<' in page and 'id="f-cf_kanal"' in page
    assert "Z targów" in filtered and "Z WWW" not in filtered
    export = b"".join(client_a.get("/leads/export/?cf_kanal=Targi").streaming_content).decode("utf-8-sig")
    header, *rows = export.strip().splitlines()
    assert header.endswith(";Kanał;Pracownicy") and len(rows) == 1 and rows[0].endswith(";Targi;7")


def test_the_lead_import_maps_custom_fields_and_checks_their_values(company_a, szef, in_a):
    content = "Imię i nazwisko,E-mail,Kanał\nAnna,anna@x.pl,targi\nBolek,bolek@x.pl,Radio\n"
    with in_a():
        field_make(model="lead", name="Kanał", type="select", options=["Targi", "WWW"])
        upload = SimpleUploadedFile("leady.csv", content.encode(), content_type="text/csv")
        job = import_prepare(upload=upload, user=szef, importer=LEAD_IMPORTER)
        assert job.mapping == {"name": 0, "email": 1, "cf_kanal": 2}
        job.status = ImportStatus.QUEUED
        job.save()
        job = import_run(job.pk)
        anna = Lead.objects.get(email="anna@x.pl")
    assert (job.created_count, job.error_count) == (1, 1)
    assert anna.custom_fields == {"kanal": "Targi"}
    assert "Kanał" in json.dumps(job.errors, ensure_ascii=False)
