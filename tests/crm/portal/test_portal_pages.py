"""What a contact person does in the portal: documents of their own customer only, offers
accepted and declined through the offers' services, contracts signed, tickets opened,
answered and closed so staff see them as usual, portal-only articles, own data."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.contracts.models import Contract
from crm.notes.models import TimelineEvent
from crm.offers.models import Offer, OfferStatus
from crm.tickets.models import Ticket, TicketReply
from crm.tickets.services import ticket_reply
from tests.crm.kb.factories import article_make
from tests.crm.portal.conftest import contact_with_portal, records_for, sign_in


def test_the_home_page_sums_up_what_the_contact_may_see(portal_client, portal_contact, company_a, szef):
    records_for(company_a, portal_contact, szef)
    page = portal_client.get("/portal/").content.decode()
    assert "Oferty czekające na odpowiedź" in page and "Otwarte zgłoszenia" in page


def test_invoices_list_and_pdf(portal_client, portal_contact, company_a, szef):
    ids = records_for(company_a, portal_contact, szef)
    page = portal_client.get("/portal/invoices/")
    assert page.status_code == 200
    pdf = portal_client.get(f"/portal/invoices/{ids['invoice']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_accepting_an_offer_with_a_typed_name_goes_through_the_offer_service(
    portal_client, portal_contact, company_a, szef
):
    ids = records_for(company_a, portal_contact, szef)
    url = f"/portal/offers/{ids['offer']}/"
    assert "Akceptuję" in portal_client.get(url).content.decode()
    refused = portal_client.post(f"{url}accept/", {"name": "", "confirm": "on"})
    assert refused.status_code == 400
    response = portal_client.post(f"{url}accept/", {"name": "Anna Klientka", "confirm": "on"})
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        offer = Offer.objects.get(pk=ids["offer"])
        assert offer.status == OfferStatus.ACCEPTED and offer.accepted_name == "Anna Klientka"
        assert TimelineEvent.objects.filter(offer=offer, code="offer.accepted").exists()
    assert "Anna Klientka" in portal_client.get(url).content.decode()


def test_declining_an_offer_keeps_the_comment(portal_client, portal_contact, company_a, szef):
    ids = records_for(company_a, portal_contact, szef)
    response = portal_client.post(f"/portal/offers/{ids['offer']}/decline/", {"comment": "Za drogo"})
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        offer = Offer.objects.get(pk=ids["offer"])
        assert offer.status == OfferStatus.DECLINED and offer.decline_comment == "Za drogo"


def test_signing_a_contract(portal_client, portal_contact, company_a, szef):
    ids = records_for(company_a, portal_contact, szef)
    url = f"/portal/contracts/{ids['contract']}/"
    page = portal_client.get(url).content.decode()
    digest = page.split('name="document_hash" value="')[1].split('"')[0]
    response = portal_client.post(f"{url}sign/", {"name": "Anna Klientka", "confirm": "on", "document_hash": digest})
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert Contract.objects.get(pk=ids["contract"]).signed_by == "Anna Klientka"


def test_a_project_shows_progress_milestones_and_only_tasks_visible_to_the_customer(
    portal_client, portal_contact, company_a, szef
):
    ids = records_for(company_a, portal_contact, szef)
    page = portal_client.get(f"/portal/projects/{ids['project']}/").content.decode()
    assert "Analiza" in page and "Widoczne zadanie" in page
    assert "Wewnętrzne zadanie" not in page


def test_a_ticket_opened_in_the_portal_reaches_staff_and_their_reply_comes_back(
    portal_client, portal_contact, company_a, szef
):
    response = portal_client.post(
        "/portal/tickets/new/",
        {
            "subject": "Nie działa logowanie",
            "body": "Od rana błąd 500.",
            "attachments": SimpleUploadedFile("zrzut.txt", b"log", content_type="text/plain"),
        },
    )
    assert response.status_code == 302, [x[:300] for x in response.content.decode().split("invalid-feedback")[1:]]
    with schema_context(company_a.schema_name):
        ticket = Ticket.objects.get(subject="Nie działa logowanie")
        assert ticket.customer_id == portal_contact.customer_id and ticket.contact_id == portal_contact.pk
        assert ticket.replies.get().attachments.count() == 1
        ticket_reply(ticket=ticket, actor=szef, body="Już naprawione.")
    page = portal_client.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "Już naprawione." in page
    assert portal_client.post(f"/portal/tickets/{ticket.pk}/reply/", {"body": "Dziękuję"}).status_code == 302
    assert portal_client.post(f"/portal/tickets/{ticket.pk}/close/").status_code == 302
    with schema_context(company_a.schema_name):
        ticket.refresh_from_db()
        assert ticket.closed_at is not None
        assert TicketReply.objects.filter(ticket=ticket, contact=portal_contact, body="Dziękuję").exists()


def test_an_empty_ticket_is_refused_with_a_message_and_nothing_is_saved(portal_client, company_a):
    response = portal_client.post("/portal/tickets/new/", {"subject": "", "body": ""})
    assert response.status_code == 400 and "Podaj temat" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Ticket.objects.exists()


def test_own_tickets_only_hides_the_colleagues_tickets(client_a, company_a, szef, portal_contact):
    with schema_context(company_a.schema_name):
        customer = portal_contact.customer
    colleague = contact_with_portal(company_a, email="kolega@klient.test", permissions=["tickets"], customer=customer)
    ids = records_for(company_a, portal_contact, szef)
    sign_in(client_a, colleague.email)
    assert client_a.get(f"/portal/tickets/{ids['ticket']}/").status_code == 200
    with schema_context(company_a.schema_name):
        colleague.portal_own_tickets_only = True
        colleague.save()
    assert client_a.get(f"/portal/tickets/{ids['ticket']}/").status_code == 404


def test_the_knowledge_base_shows_public_and_portal_articles_but_not_internal_ones(portal_client, company_a):
    with schema_context(company_a.schema_name):
        article_make(title="Publiczny artykuł", public=True)
        article_make(title="Portalowy artykuł", portal=True)
        internal = article_make(title="Wewnętrzny artykuł")
    page = portal_client.get("/portal/kb/").content.decode()
    assert "Publiczny artykuł" in page and "Portalowy artykuł" in page and "Wewnętrzny" not in page
    assert portal_client.get(f"/portal/kb/{internal.pk}/").status_code == 404


def test_the_contact_downloads_their_own_personal_data(portal_client, portal_contact):
    response = portal_client.get("/portal/profile/personal-data/")
    data = json.loads(response.content)
    assert data["contact"]["email"] == portal_contact.email


def test_the_portal_works_in_english(portal_client):
    portal_client.cookies["django_language"] = "en"
    page = portal_client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Invoices" in page
