from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.notes.models import Attachment, Note
from tests.crm.contacts.factories import CustomerFactory, deal_make, task_make
from tests.crm.notes.factories import NoteFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def test_note_is_created_edited_with_history_and_deleted_through_the_api(company_a, szef, customer, api_szef):
    client = api_szef
    created = client.post(
        "/api/v1/notes/", {"customer": customer.pk, "body": "Pierwsza"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    note = created.json()
    assert (note["customer"], note["deal"], note["author"]) == (customer.pk, None, szef.pk)
    edited = client.patch(f"/api/v1/notes/{note['id']}/", {"body": "Druga"}, content_type="application/json")
    assert edited.status_code == 200
    assert edited.json()["body"] == "Druga"
    history = client.get(f"/api/v1/notes/{note['id']}/history/").json()
    assert [h["body"] for h in history] == ["Pierwsza"]
    listed = client.get("/api/v1/notes/", {"customer": customer.pk}).json()
    assert listed["results"][0]["revision_count"] == 1
    assert client.delete(f"/api/v1/notes/{note['id']}/").status_code == 204


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"body": "x"}, "dokładnie jedno"),
        ({"body": "", "customer": "C"}, "body"),
        ({"body": "x", "deal": 999999}, "deal"),
    ],
)
def test_bad_note_is_refused(company_a, szef, customer, payload, message, api_szef):
    payload = {k: (customer.pk if v == "C" else v) for k, v in payload.items()}
    response = api_szef.post("/api/v1/notes/", payload, content_type="application/json")
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Note.objects.exists()


def test_pracownik_cannot_change_a_colleagues_note_through_the_api(company_a, szef, pracownik, customer, api_pracownik):
    with schema_context(company_a.schema_name):
        note = NoteFactory(customer=customer, body="Szefa", author=szef)
    client = api_pracownik
    assert client.patch(f"/api/v1/notes/{note.pk}/", {"body": "x"}, content_type="application/json").status_code == 403
    assert client.delete(f"/api/v1/notes/{note.pk}/").status_code == 403


def test_restricted_pracownik_lists_only_notes_of_records_they_see(
    company_a, szef, pracownik, customer, restricted_pracownik, api_pracownik
):
    with schema_context(company_a.schema_name):
        own = CustomerFactory(owner=pracownik)
        own_deal = deal_make(own, owner=pracownik)
        other_deal = deal_make(own, owner=szef)
        private_task = task_make(customer=own, assignee=szef, created_by=szef, visibility="owner")
        NoteFactory(customer=customer, body="cudzy klient")
        NoteFactory(customer=own, body="mój klient")
        NoteFactory(customer=own, deal=own_deal, body="moja szansa")
        NoteFactory(customer=own, deal=other_deal, body="szansa szefa")
        NoteFactory(customer=own, task=private_task, body="prywatne zadanie")
    bodies = {n["body"] for n in api_pracownik.get("/api/v1/notes/").json()["results"]}
    assert bodies == {"mój klient", "moja szansa"}


def test_file_upload_list_download_and_delete_through_the_api(company_a, szef, customer, api_szef):
    client = api_szef
    with schema_context(company_a.schema_name):
        deal = deal_make(customer, owner=szef)
    uploaded = client.post("/api/v1/files/", {"deal": deal.pk, "file": SimpleUploadedFile("oferta.pdf", PDF)})
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    assert (body["name"], body["content_type"], body["deal"], body["customer"]) == (
        "oferta.pdf",
        "application/pdf",
        deal.pk,
        customer.pk,
    )
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert [f["id"] for f in client.get("/api/v1/files/", {"deal": deal.pk}).json()["results"]] == [body["id"]]
    assert client.delete(f"/api/v1/files/{body['id']}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert not Attachment.objects.exists()


def test_disallowed_file_is_refused_through_the_api(company_a, szef, customer, api_szef):
    response = api_szef.post("/api/v1/files/", {"customer": customer.pk, "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 400
    assert "niedozwolony" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/notes/{n}/"),
        ("patch", "/api/v1/notes/{n}/"),
        ("delete", "/api/v1/notes/{n}/"),
        ("get", "/api/v1/notes/{n}/history/"),
        ("get", "/api/v1/files/{f}/"),
        ("get", "/api/v1/files/{f}/download/"),
        ("delete", "/api/v1/files/{f}/"),
    ],
)
def test_outsider_gets_404_for_notes_and_files_of_another_company(
    company_a, company_b, szef, outsider, customer, method, url, api_szef, api_outsider
):
    api_szef.post("/api/v1/files/", {"customer": customer.pk, "file": SimpleUploadedFile("a.pdf", PDF)})
    with schema_context(company_a.schema_name):
        note = NoteFactory(customer=customer, body="Alfa", author=szef)
        item = Attachment.objects.get()
    client = api_outsider
    response = getattr(client, method)(url.format(n=note.pk, f=item.pk), {"body": "x"}, content_type="application/json")
    assert response.status_code == 404
    assert client.get("/api/v1/notes/").json()["count"] == 0
    assert (
        client.post(
            "/api/v1/notes/", {"customer": customer.pk, "body": "x"}, content_type="application/json"
        ).status_code
        == 400
    )


def test_notes_and_files_are_in_the_openapi_schema(client_a, szef):
    schema = client_a.login_as(szef).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/notes/", "/api/v1/notes/{id}/history/", "/api/v1/files/", "/api/v1/files/{id}/download/"):
        assert path in schema
