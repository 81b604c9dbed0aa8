"""In a real browser, the money path of issue 14 as Szef walks it: a deal is won, an offer
is made from it and sent, the customer accepts it on its public page (typing a name), the
accepted offer becomes an invoice, the invoice is issued, its PDF downloaded (read back
with pypdf), and it is sent to KSeF (the local fake, by the real Celery worker): the KSeF
number appears on the invoice's page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.categories.models import DealStatus, DealStatusCode
from crm.company.crypto import secret_encrypt
from crm.company.models import CompanySettings
from crm.invoicing.models import Invoice
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.documents.factories import pdf_text
from tests.crm.sales.factories import DealFactory
from tests.support.browser import sign_in
from tests.support.fake_ksef import DEFAULT_NIP, DEFAULT_TOKEN, FakeKsef

KSEF_WAIT_SECONDS = 60


@pytest.fixture
def fake_ksef_server() -> Iterator[FakeKsef]:
    fake = FakeKsef().start()
    try:
        yield fake
    finally:
        fake.stop()


def _company_sends_to(fake: FakeKsef, schema: str) -> None:
    with schema_context(schema):
        CompanySettings.objects.update_or_create(
            pk=1,
            defaults={
                "tax_id": DEFAULT_NIP,
                "street": "ul. Długa 5/7",
                "postal_code": "00-950",
                "city": "Warszawa",
                "bank_account": "PL61109010140000071219812874",
                "ksef_enabled": True,
                "ksef_environment": "test",
                "ksef_api_url": fake.url,
                "ksef_token_encrypted": secret_encrypt(DEFAULT_TOKEN),
            },
        )


@pytest.mark.usefixtures("celery_worker_process")
def test_a_won_deal_becomes_an_accepted_offer_an_issued_invoice_a_pdf_and_a_ksef_number(
    committed: Any, fake_ksef_server: FakeKsef, browser: Any, page: Any, live_url: Any, tmp_path: Path
) -> None:
    schema = committed.a.schema_name
    _company_sends_to(fake_ksef_server, schema)
    with schema_context(schema):
        customer = CustomerFactory(
            name="Tłocznia Soków Łącko Sp. z o.o.",
            tax_id="5260250274",
            street="ul. Sadowa 3",
            postal_code="33-390",
            city="Łącko",
            email="zakupy@tlocznia.test",
        )
        deal = DealFactory(customer=customer, name="Linia do tłoczenia", value=Decimal("10000.00"))
        won = DealStatus.objects.get(code=DealStatusCode.WON)
    sign_in(page, live_url)

    # The deal is won, on its page
    page.goto(live_url("alfa", f"/deals/{deal.pk}/"))
    form = page.get_by_test_id("deal-status-form")
    form.locator("select[name=status]").select_option(str(won.pk))
    reasons = form.locator("select[name=win_reason] option")
    if reasons.count() > 1:
        form.locator("select[name=win_reason]").select_option(index=1)
    form.get_by_role("button", name="Zmień status").click()
    expect(page.get_by_test_id("deal-status")).to_contain_text("Wygran")

    # An offer from the deal (customer, deal and its value as a line come prefilled), sent
    page.get_by_test_id("offer-from-deal").click()
    page.wait_for_url(re.compile(r"/offers/new/"))
    page.get_by_test_id("offer-save").click()
    page.wait_for_url(re.compile(r"/offers/\d+/$"))
    offer_url = page.url
    page.get_by_test_id("offer-send").click()
    page.get_by_test_id("offer-send-submit").click()
    page.wait_for_url(offer_url)
    public_url = page.get_by_test_id("offer-public-url").input_value()

    # The customer (a browser of their own, not signed in) accepts it on its public page
    customer_context = browser.new_context(locale="pl-PL", viewport={"width": 390, "height": 844})
    try:
        customer_page = customer_context.new_page()
        customer_page.goto(live_url("alfa", urlsplit(public_url).path))
        accept = customer_page.get_by_test_id("offer-accept-form")
        accept.locator("input[name=name]").fill("Jadwiga Sadowska")
        accept.locator("input[name=confirm]").check()
        customer_page.get_by_test_id("offer-accept").click()
        expect(customer_page.get_by_test_id("offer-public-answer")).to_contain_text("Jadwiga Sadowska")
    finally:
        customer_context.close()

    # Back on the offer: an invoice from it, issued
    page.goto(offer_url)
    expect(page.get_by_test_id("offer-accepted-name")).to_have_text("Jadwiga Sadowska")
    page.get_by_test_id("offer-to-invoice").click()
    page.wait_for_url(re.compile(r"/invoices/\d+/$"))
    invoice_url = page.url
    invoice_pk = int(re.search(r"/invoices/(\d+)/", invoice_url).group(1))  # type: ignore[union-attr]
    page.get_by_test_id("invoice-issue").click()
    page.wait_for_url(invoice_url)
    number = page.get_by_test_id("invoice-number").inner_text().strip()
    assert re.match(r"^FV/", number), number

    # Its PDF, downloaded with the button
    with page.expect_download() as download:
        page.get_by_test_id("invoice-pdf").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    assert saved.name == re.sub(r"[^\w.-]+", "_", number) + ".pdf"
    text = pdf_text(content)
    assert number in text and "Tłocznia Soków Łącko Sp. z o.o." in text and "12 300,00 PLN" in text

    # Sent to KSeF: the worker sends it in the background; the number shows on the page
    page.get_by_test_id("invoice-send-ksef").click()
    page.wait_for_url(invoice_url)
    deadline = time.monotonic() + KSEF_WAIT_SECONDS
    while page.get_by_test_id("invoice-ksef-number").count() == 0 and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    with schema_context(schema):
        invoice = Invoice.objects.get(pk=invoice_pk)
    assert invoice.ksef_number, f"KSeF status {invoice.ksef_status}: {invoice.ksef_error}"
    expect(page.get_by_test_id("invoice-ksef-number")).to_have_text(invoice.ksef_number)
    assert [accepted.ksef_number for accepted in fake_ksef_server.accepted()] == [invoice.ksef_number]
