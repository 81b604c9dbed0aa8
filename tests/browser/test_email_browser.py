"""In a real browser, a Pracownik writes to a customer's contact person from the card:
he picks a template, which fills the subject and body with the customer's and the
contact's names, sends it, and sees it on the customer's timeline; the real Celery
worker hands it to the company's SMTP server (a local one), and the timeline then says
it was sent. Screenshots at 1280 px and 390 px go to .local/test-artifacts/."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.company.models import CompanySettings, EmailTemplate
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.support.browser import ARTIFACTS, sign_in
from tests.support.fake_smtp import smtp_server_running


@pytest.mark.usefixtures("celery_worker_process")
def test_pracownik_writes_an_email_with_a_template_from_the_card_and_sees_it_on_the_timeline(
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
                    "smtp_from": "biuro@alfa.test",
                },
            )
            customer = CustomerFactory(name="Śrubex", email="biuro@srubex.test")
            ContactPersonFactory(customer=customer, name="Anna Nowak", email="anna@srubex.test")
            EmailTemplate.objects.create(
                kind="custom",
                name="Powitanie",
                subject_pl="Współpraca z {{ company.name }}",
                body_pl="Dzień dobry {{ contact.first_name }},\nzapraszamy {{ customer.name }} do współpracy.\n{{ user.name }}",
            )
        sign_in(page, live_url, "pracownik@alfa.test")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

        page.goto(live_url("alfa", f"/customers/{customer.pk}/?tab=emails"))
        page.get_by_test_id("email-write").click()
        page.locator("#pick-template").select_option(label="Powitanie")
        page.locator("#pick-contact").select_option(label="Anna Nowak")
        page.get_by_test_id("email-template-apply").click()
        expect(page.locator("#id_subject")).to_have_value("Współpraca z Alfa Sp. z o.o.")
        expect(page.locator("#id_body")).to_have_value(re.compile("^Dzień dobry Anna,"))
        expect(page.locator("#id_to")).to_have_value("anna@srubex.test")
        page.screenshot(path=str(ARTIFACTS / "email-compose-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(ARTIFACTS / "email-compose-390.png"), full_page=True)
        page.get_by_test_id("email-send").click()

        expect(page.get_by_test_id("timeline")).to_contain_text("Współpraca z Alfa Sp. z o.o.")
        for _attempt in range(60):  # the worker sends it in the background
            if server.sink.messages:
                break
            time.sleep(0.5)
        assert [m.rcpt_tos for m in server.sink.messages] == [["anna@srubex.test"]]
        assert "zapraszamy Śrubex do współpracy" in server.sink.messages[0].content.decode()
        page.reload()
        expect(page.get_by_test_id("timeline").get_by_test_id("email-status").first).to_have_text("wysłany")
        page.screenshot(path=str(ARTIFACTS / "email-timeline-390.png"), full_page=True)
