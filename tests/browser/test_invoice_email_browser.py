"""In a real browser, Szef e-mails an issued invoice from its card: the form comes
prefilled with the customer's address and offers the contact person's to tick; an empty
address is refused next to the field; sent, the card says when and to whom. The local
SMTP server (tests/support/fake_smtp.py) gets one message with the PDF. Screenshots at
1280 px and 390 px go to .local/test-artifacts/."""

from __future__ import annotations

from typing import Any

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.company.models import CompanySettings
from tests.crm.contacts.factories import ContactPersonFactory
from tests.crm.invoicing.factories import buyer_make, issued_make
from tests.support.browser import ARTIFACTS, sign_in
from tests.support.fake_smtp import smtp_server_running


def test_szef_emails_an_invoice_from_its_card_to_the_customer_and_a_contact(
    committed: Any, browser: Any, page: Any, live_url: Any
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
                    "smtp_from": "faktury@alfa.test",
                    "bank_account": "PL61109010140000071219812874",
                },
            )
            customer = buyer_make(email="biuro@srubex.test")
            ContactPersonFactory(customer=customer, name="Anna Księgowa", email="anna@srubex.test")
            invoice = issued_make(customer=customer)
        sign_in(page, live_url)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

        page.goto(live_url("alfa", f"/invoices/{invoice.pk}/"))
        page.get_by_test_id("invoice-email").click()
        to = page.get_by_label("Do", exact=True)
        expect(to).to_have_value("biuro@srubex.test")
        to.fill("")
        page.get_by_test_id("invoice-email-submit").click()
        expect(page.locator("#id_to_error, .invalid-feedback").first).to_contain_text("Podaj adres e-mail klienta.")
        page.get_by_label("Do", exact=True).fill("biuro@srubex.test")
        page.get_by_label("Anna Księgowa <anna@srubex.test>").check()
        page.get_by_label("Wiadomość (opcjonalnie)").fill("W załączeniu faktura za grudzień.")
        page.screenshot(path=str(ARTIFACTS / "invoice-email-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(ARTIFACTS / "invoice-email-390.png"), full_page=True)
        page.get_by_test_id("invoice-email-submit").click()

        expect(page.get_by_test_id("invoice-emailed")).to_contain_text("biuro@srubex.test, anna@srubex.test")
        page.screenshot(path=str(ARTIFACTS / "invoice-emailed-390.png"), full_page=True)
        assert len(server.sink.messages) == 1
        assert sorted(server.sink.messages[0].rcpt_tos) == ["anna@srubex.test", "biuro@srubex.test"]
        assert b"application/pdf" in server.sink.messages[0].content
