"""In a real browser, staff open a ticket for a customer's contact person, answer it (the
contact gets the answer by e-mail through the company's SMTP, the ticket reference in the
subject), and the contact's answer to that e-mail, posted by the mail gateway to
/inbound/email/, appears in the thread. Screenshots go to .local/test-artifacts/."""

from __future__ import annotations

import email
import json
import urllib.request
from email.header import decode_header, make_header
from typing import Any
from urllib.parse import urlsplit

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.company.models import CompanySettings
from crm.tickets.models import TicketSettings
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.support.browser import ARTIFACTS, sign_in
from tests.support.fake_smtp import smtp_server_running


def test_staff_answer_a_ticket_and_the_contacts_reply_appears_in_the_thread(
    committed: Any, page: Any, live_url: Any
) -> None:
    schema = committed.a.schema_name
    with smtp_server_running() as server:
        with schema_context(schema):
            CompanySettings.objects.update_or_create(
                pk=1,
                defaults={
                    "smtp_host": "127.0.0.1",
                    "smtp_port": server.port,
                    "smtp_security": "none",
                    "smtp_from": "pomoc@alfa.test",
                },
            )
            customer = CustomerFactory(name="Klient Testowy")
            ContactPersonFactory(customer=customer, name="Anna Klient", email="anna@klient.test")
            secret = TicketSettings.current().inbound_secret
        sign_in(page, live_url)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

        page.goto(live_url("alfa", f"/tickets/new/?customer={customer.pk}"))
        page.get_by_label("Temat").fill("Drukarka nie drukuje")
        page.get_by_label("Osoba kontaktowa").select_option(label="Anna Klient <anna@klient.test>")
        page.get_by_label("Opis zgłoszenia").fill("Od rana błąd papieru.")
        page.get_by_test_id("ticket-save").click()
        expect(page.get_by_test_id("ticket-subject")).to_contain_text("Drukarka nie drukuje")

        page.get_by_test_id("reply-form").locator("textarea[name=body]").fill("Proszę wyjąć i włożyć podajnik.")
        page.get_by_test_id("reply-send").click()
        expect(page.get_by_test_id("ticket-thread")).to_contain_text("Proszę wyjąć i włożyć podajnik.")
        assert len(server.sink.messages) == 1
        sent = email.message_from_bytes(server.sink.messages[0].content)
        subject = str(make_header(decode_header(sent["Subject"])))
        assert "[#T-" in subject and server.sink.messages[0].rcpt_tos == ["anna@klient.test"]

        # The mail gateway posts from outside the browser (straight to the server, with the company's Host).
        url = urlsplit(live_url("alfa", "/inbound/email/"))
        payload = {
            "from": "Anna Klient <anna@klient.test>",
            "to": "pomoc@alfa.test",
            "subject": f"Re: {subject}",
            "text": "Pomogło, dziękuję!",
            "message_id": "<odp-1@klient.test>",
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{url.port}{url.path}",
            data=json.dumps(payload).encode(),
            headers={"Host": url.netloc, "X-Inbound-Secret": secret, "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=15) as answer:
            assert answer.status == 200

        page.reload()
        thread = page.get_by_test_id("ticket-thread")
        expect(thread).to_contain_text("Pomogło, dziękuję!")
        expect(thread.get_by_test_id("reply")).to_have_count(3)
        page.screenshot(path=str(ARTIFACTS / "ticket-thread-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(ARTIFACTS / "ticket-thread-390.png"), full_page=True)
