"""In a real browser: staff switch the client portal on for a contact person on the
customer card; the contact sets a password from the invitation e-mail (the company's
SMTP, a local fake server), accepts an offer with a typed name, pays an invoice by card
through the company's own (fake) Stripe account, opens a ticket; staff answer it and
the contact sees the answer in the portal. Screenshots at 1280 and 390 px go to
.local/test-artifacts/."""

from __future__ import annotations

import email
import json
import re
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.accounts.models import User
from crm.company.models import CompanySettings
from crm.offers.models import Offer, OfferStatus
from crm.offers.services import offer_send
from crm.tickets.models import Ticket
from tests.browser.conftest import server_url
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.invoicing.factories import issued_make
from tests.crm.offers.factories import offer_make
from tests.crm.payments.conftest import WEBHOOK_SECRET as WEBHOOK_SECRET_ALFA
from tests.crm.payments.conftest import gateway_set
from tests.support.browser import ARTIFACTS, sign_in
from tests.support.fake_smtp import smtp_server_running
from tests.support.fake_stripe import signature_header

PASSWORD = "Portal-hasło-2026"


def _body(raw: bytes) -> str:
    message = email.message_from_bytes(raw)
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_a_contact_sets_a_password_accepts_an_offer_pays_and_follows_a_ticket_in_the_portal(
    committed: Any, billing_server: Any, page: Any
) -> None:
    port, fake_stripe = billing_server  # this server's Stripe is the local fake

    def live_url(sub: str | None, path: str) -> str:
        return server_url(port, sub, path)

    schema = committed.a.schema_name
    with smtp_server_running() as server:
        with schema_context(schema):
            CompanySettings.objects.update_or_create(
                pk=1,
                defaults={
                    "smtp_host": "127.0.0.1",
                    "smtp_port": server.port,
                    "smtp_security": "none",
                    "smtp_from": "biuro@alfa.test",
                },
            )
            szef = User.objects.get(email="szef@alfa.test")
            customer = CustomerFactory(name="Klient Portalowy")
            contact = ContactPersonFactory(customer=customer, name="Anna Klient", email="anna@klient.test")
            offer = offer_send(offer=offer_make(customer=customer, actor=szef), actor=szef, to="anna@klient.test")
            invoice = issued_make(customer=customer)
            gateway_set()  # the company's own Stripe account (the fake one)
        server.sink.messages.clear()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

        # Staff switch the portal on in the contact person section of the customer card.
        sign_in(page, live_url)
        page.goto(live_url("alfa", f"/customers/contacts/{contact.pk}/edit/"))
        page.get_by_label("Dostęp do portalu klienta (wyśle zaproszenie e-mailem)").check()
        page.get_by_label("faktury", exact=True).check()
        page.get_by_label("oferty", exact=True).check()
        page.get_by_label("zgłoszenia", exact=True).check()
        page.get_by_role("button", name="Zapisz").click()
        expect(page.get_by_test_id("contact-portal-badge")).to_be_visible()

        # The contact, in another browser, follows the invitation.
        assert [m.rcpt_tos for m in server.sink.messages] == [["anna@klient.test"]]
        link = re.search(r"https?://\S+/portal/password/\S+/", _body(server.sink.messages[0].content))
        assert link, _body(server.sink.messages[0].content)
        portal = page.context.browser.new_context(locale="pl-PL").new_page()
        portal.goto(live_url("alfa", urlsplit(link.group(0)).path))
        portal.get_by_label("Nowe hasło").fill(PASSWORD)
        portal.get_by_label("Powtórz hasło").fill(PASSWORD)
        portal.get_by_test_id("portal-password-save").click()
        expect(portal.get_by_test_id("portal-summary")).to_be_visible()
        portal.screenshot(path=str(ARTIFACTS / "portal-home-1280.png"), full_page=True)

        # Accepts the offer with a typed name.
        portal.goto(live_url("alfa", f"/portal/offers/{offer.pk}/"))
        form = portal.get_by_test_id("portal-offer-accept-form")
        form.get_by_label("Imię i nazwisko").fill("Anna Klient")
        form.get_by_role("checkbox").check()
        portal.get_by_test_id("portal-offer-accept").click()
        expect(portal.get_by_test_id("portal-offer-answer")).to_contain_text("Anna Klient")
        with schema_context(schema):
            assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACCEPTED

        # Pays an invoice by card: Checkout of the company's own Stripe account, whose
        # signed webhook (sent here by the test, as Stripe would) records the payment.
        portal.goto(live_url("alfa", "/portal/invoices/"))
        portal.get_by_test_id("portal-invoice-pay").click()
        expect(portal.get_by_role("heading", name="Fake Stripe Checkout")).to_be_visible()
        session_id = urlsplit(portal.url).path.rsplit("/", 1)[1]
        assert fake_stripe.sessions[session_id]["amount_total"] == int(invoice.gross_total * 100)
        body = json.dumps(fake_stripe.payment_complete(session_id)).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/payments/stripe/webhook/",
            data=body,
            method="POST",
            headers={
                "Host": f"alfa.{settings.IMCRM_BASE_DOMAIN}",
                "Content-Type": "application/json",
                "Stripe-Signature": signature_header(body, WEBHOOK_SECRET_ALFA),
            },
        )
        with urllib.request.urlopen(request, timeout=20) as answer:
            assert answer.status == 200
        portal.goto(fake_stripe.sessions[session_id]["success_url"])
        expect(portal.get_by_test_id("portal-pay-thanks")).to_be_visible()
        expect(portal.get_by_test_id("portal-invoice-pay")).to_have_count(0)
        page.goto(live_url("alfa", f"/invoices/{invoice.pk}/"))  # staff see it paid
        expect(page.get_by_test_id("invoice-outstanding")).to_contain_text("0,00")

        # Opens a ticket.
        portal.goto(live_url("alfa", "/portal/tickets/"))
        portal.get_by_test_id("portal-ticket-new").click()
        portal.get_by_label("Temat").fill("Nie działa eksport")
        portal.get_by_label("Opis").fill("Eksport do CSV kończy się błędem.")
        portal.get_by_test_id("portal-ticket-send").click()
        expect(portal.get_by_test_id("portal-ticket-thread")).to_contain_text("Eksport do CSV")
        with schema_context(schema):
            ticket = Ticket.objects.get(subject="Nie działa eksport")
            assert ticket.contact_id == contact.pk

        # Staff answer it in the CRM, as any ticket.
        page.goto(live_url("alfa", f"/tickets/{ticket.pk}/"))
        page.get_by_test_id("reply-form").locator("textarea[name=body]").fill("Naprawione, proszę spróbować.")
        page.get_by_test_id("reply-send").click()
        expect(page.get_by_test_id("ticket-thread")).to_contain_text("Naprawione, proszę spróbować.")

        # The contact sees the answer in the portal, also at phone width.
        portal.reload()
        expect(portal.get_by_test_id("portal-ticket-thread")).to_contain_text("Naprawione, proszę spróbować.")
        portal.set_viewport_size({"width": 390, "height": 844})
        portal.screenshot(path=str(ARTIFACTS / "portal-ticket-390.png"), full_page=True)
        width = portal.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
