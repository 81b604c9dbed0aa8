"""Tickets in the record registry: notes and files on the ticket page and the customer's
timeline, the global search, the export, the trash; another company cannot reach them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.common.records import record_type
from crm.notes.models import Attachment, Note, TimelineEvent
from crm.tickets.models import Ticket
from crm.tickets.services import ticket_delete, ticket_reply
from crm.trash.models import TrashEntry
from tests.crm.tickets.factories import ticket_make


@pytest.fixture
def ticket(company_a, szef):
    with schema_context(company_a.schema_name):
        return ticket_make(actor=szef, subject="Zgłoszenie z notatkami")


def test_a_note_on_a_ticket_shows_on_its_page_and_on_the_customers_timeline(client_a, szef, ticket, company_a):
    client_a.login_as(szef)

    added = client_a.post(f"/notes/ticket/{ticket.pk}/notes/add/", {"body": "Oddzwonić jutro", "kind": "note"})
    page = client_a.get(f"/tickets/{ticket.pk}/").content.decode()
    timeline = client_a.get(f"/customers/{ticket.customer_id}/?tab=timeline").content.decode()

    assert added.status_code == 302
    with schema_context(company_a.schema_name):
        note = Note.objects.get(body="Oddzwonić jutro")
        assert (note.ticket_id, note.customer_id) == (ticket.pk, ticket.customer_id)
    assert "Oddzwonić jutro" in page
    assert "Oddzwonić jutro" in timeline and f"/tickets/{ticket.pk}/" in timeline


def test_files_on_tickets_through_the_api(api_szef, ticket, company_a):
    upload = api_szef.post(
        "/api/v1/files/",
        {"ticket": ticket.pk, "file": SimpleUploadedFile("log.txt", b"error 500\n", "text/plain")},
    )

    assert upload.status_code == 201, upload.content
    with schema_context(company_a.schema_name):
        assert Attachment.objects.get(ticket=ticket).name == "log.txt"


def test_a_reply_is_an_event_on_the_customers_timeline(ticket, szef, company_a):
    with schema_context(company_a.schema_name):
        ticket_reply(ticket=ticket, actor=szef, body="Sprawdzamy.")
        assert list(TimelineEvent.objects.filter(ticket=ticket).values_list("code", flat=True)) == ["ticket.replied"]


def test_the_global_search_finds_a_ticket_by_subject(client_a, szef, ticket):
    page = client_a.login_as(szef).get("/search/?q=notatkami").content.decode()
    assert f"/tickets/{ticket.pk}/" in page


def test_the_export_columns_name_the_ticket_fields(ticket):
    headers = [str(label) for _, label in record_type("ticket").export_columns]
    assert headers[:3] == ["Numer", "Temat", "Klient"]


def test_a_deleted_ticket_goes_to_the_trash_with_its_thread(ticket, szef, company_a):
    with schema_context(company_a.schema_name):
        ticket_delete(ticket=ticket, actor=szef)
        assert not Ticket.objects.exists()
        assert TrashEntry.objects.count() == 1


def test_another_company_cannot_reach_a_tickets_notes(client_b, outsider, ticket):
    client_b.login_as(outsider)

    assert client_b.get(f"/notes/ticket/{ticket.pk}/notes/").status_code == 404
    assert client_b.post(f"/notes/ticket/{ticket.pk}/notes/add/", {"body": "x"}).status_code == 404
