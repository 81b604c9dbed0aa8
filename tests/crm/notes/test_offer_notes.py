"""Notes and files on offers: added on the offer's card and through the API, shown on the
customer's timeline with a link to the offer, hidden from whoever may not see the offer;
the offer's events (sent, accepted...) are on the timeline and in the offer's history."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.notes.models import Attachment, Note, TimelineEvent
from crm.offers.answers import offer_accept
from crm.offers.services import offer_send
from tests.crm.offers.factories import offer_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(company_a, szef, customer):
    with schema_context(company_a.schema_name):
        return offer_make(actor=szef, customer=customer, title="Oferta z notatkami")


def test_a_note_on_an_offer_shows_on_its_card_and_on_the_customers_timeline(client_a, szef, offer, company_a):
    client_a.login_as(szef)

    added = client_a.post(f"/notes/offer/{offer.pk}/notes/add/", {"body": "Klient prosi o rabat", "kind": "note"})
    card = client_a.get(f"/offers/{offer.pk}/").content.decode()
    timeline = client_a.get(f"/customers/{offer.customer_id}/?tab=timeline").content.decode()

    assert added.status_code == 302
    with schema_context(company_a.schema_name):
        note = Note.objects.get(body="Klient prosi o rabat")
        assert (note.offer_id, note.customer_id, note.target_kind) == (offer.pk, offer.customer_id, "offer")
    assert "Klient prosi o rabat" in card
    assert "Klient prosi o rabat" in timeline and f"/offers/{offer.pk}/" in timeline


def test_notes_and_files_on_offers_through_the_api(api_szef, offer, company_a):
    note = api_szef.post("/api/v1/notes/", {"offer": offer.pk, "body": "Z API"}, content_type="application/json")
    upload = api_szef.post(
        "/api/v1/files/",
        {"offer": offer.pk, "file": SimpleUploadedFile("cennik.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )
    listed = api_szef.get("/api/v1/notes/", {"offer": offer.pk}).json()["results"]

    assert note.status_code == 201, note.content
    assert note.json()["offer"] == offer.pk and note.json()["customer"] == offer.customer_id
    assert upload.status_code == 201, upload.content
    assert [row["body"] for row in listed] == ["Z API"]
    with schema_context(company_a.schema_name):
        assert Attachment.objects.get(offer=offer).name == "cennik.pdf"


def test_an_invoice_takes_notes_only_once_its_app_registers_it(api_szef, client_a, szef):
    response = api_szef.post("/api/v1/notes/", {"invoice": 1, "body": "x"}, content_type="application/json")
    page = client_a.login_as(szef).get("/notes/invoice/1/notes/")

    assert response.status_code == 400
    assert page.status_code == 404


def test_a_restricted_pracownik_sees_no_notes_of_an_offer_he_may_not_see(
    company_a, szef, restricted_pracownik, api_restricted_pracownik, customer, offer
):
    with schema_context(company_a.schema_name):
        customer.owner = restricted_pracownik
        customer.save()
        Note.objects.create(offer=offer, customer=customer, body="Marża 40%", author=szef)
        Note.objects.create(customer=customer, body="Notatka klienta", author=szef)

    listed = [row["body"] for row in api_restricted_pracownik.get("/api/v1/notes/").json()["results"]]
    to_offer = api_restricted_pracownik.post(
        "/api/v1/notes/", {"offer": offer.pk, "body": "x"}, content_type="application/json"
    )

    assert listed == ["Notatka klienta"]
    assert to_offer.status_code == 400


def test_the_offers_events_are_on_the_timeline_and_in_its_history(client_a, szef, offer, company_a):
    with schema_context(company_a.schema_name):
        sent = offer_send(offer=offer, actor=szef, to="zakupy@klient.test")
        offer_accept(offer=sent, name="Anna Nowak", ip="198.51.100.1")
        assert list(TimelineEvent.objects.filter(offer=offer).order_by("id").values_list("code", flat=True)) == [
            "offer.sent",
            "offer.accepted",
        ]
    client_a.login_as(szef)

    card = client_a.get(f"/offers/{offer.pk}/").content.decode()
    timeline = client_a.get(f"/customers/{offer.customer_id}/?tab=timeline").content.decode()

    assert "zaakceptowana przez: Anna Nowak" in card
    assert "zaakceptowana przez: Anna Nowak" in timeline and "Nowa oferta" in timeline


def test_another_company_cannot_reach_an_offers_notes(client_b, outsider, offer):
    client_b.login_as(outsider)

    assert client_b.get(f"/notes/offer/{offer.pk}/notes/").status_code == 404
    assert client_b.post(f"/notes/offer/{offer.pk}/notes/add/", {"body": "x"}).status_code == 404
