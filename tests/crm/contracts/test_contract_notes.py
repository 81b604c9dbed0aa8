"""Notes and files (attachments) on contracts: added on the card and through the API,
shown on the customer's timeline; the contract's events (sent, signed) are on the
timeline and in the card's history; another company cannot reach them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.contracts.services import contract_send, contract_sign
from crm.notes.models import Attachment, Note, TimelineEvent
from tests.crm.contracts.factories import contract_make


@pytest.fixture
def contract(company_a, szef):
    with schema_context(company_a.schema_name):
        return contract_make(actor=szef, subject="Umowa z notatkami")


def test_a_note_on_a_contract_shows_on_its_card_and_on_the_customers_timeline(client_a, szef, contract, company_a):
    client_a.login_as(szef)

    added = client_a.post(f"/notes/contract/{contract.pk}/notes/add/", {"body": "Aneks w drodze", "kind": "note"})
    card = client_a.get(f"/contracts/{contract.pk}/").content.decode()
    timeline = client_a.get(f"/customers/{contract.customer_id}/?tab=timeline").content.decode()

    assert added.status_code == 302
    with schema_context(company_a.schema_name):
        note = Note.objects.get(body="Aneks w drodze")
        assert (note.contract_id, note.customer_id, note.target_kind) == (contract.pk, contract.customer_id, "contract")
    assert "Aneks w drodze" in card
    assert "Aneks w drodze" in timeline and f"/contracts/{contract.pk}/" in timeline


def test_attachments_on_contracts_through_the_api(api_szef, contract, company_a):
    upload = api_szef.post(
        "/api/v1/files/",
        {"contract": contract.pk, "file": SimpleUploadedFile("umowa.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )

    assert upload.status_code == 201, upload.content
    with schema_context(company_a.schema_name):
        assert Attachment.objects.get(contract=contract).name == "umowa.pdf"


def test_the_contracts_events_are_on_the_timeline_and_in_its_history(client_a, szef, contract, company_a):
    with schema_context(company_a.schema_name):
        sent = contract_send(contract=contract, actor=szef, to="umowy@klient.test")
        contract_sign(contract=sent, name="Anna Nowak", ip="198.51.100.1")
        codes = TimelineEvent.objects.filter(contract=contract).order_by("id").values_list("code", flat=True)
        assert list(codes) == ["contract.sent", "contract.signed"]
    client_a.login_as(szef)

    card = client_a.get(f"/contracts/{contract.pk}/").content.decode()
    timeline = client_a.get(f"/customers/{contract.customer_id}/?tab=timeline").content.decode()

    assert "podpisał(a) Anna Nowak" in card
    assert "podpisał(a) Anna Nowak" in timeline and "Nowa umowa" in timeline


def test_another_company_cannot_reach_a_contracts_notes(client_b, outsider, contract):
    client_b.login_as(outsider)

    assert client_b.get(f"/notes/contract/{contract.pk}/notes/").status_code == 404
    assert client_b.post(f"/notes/contract/{contract.pk}/notes/add/", {"body": "x"}).status_code == 404
