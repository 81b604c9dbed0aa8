"""The offer as a PDF, read back as text (pypdf): from the card, the API and the customer's
page, attached to the e-mail, in the offer's language; another company gets a 404."""

from __future__ import annotations

import email
from email import policy

from django.core import mail
from django_tenants.utils import schema_context

from tests.crm.company.factories import CompanySettingsFactory
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.documents.factories import pdf_text
from tests.crm.offers.factories import offer_make


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def test_the_card_downloads_the_pdf_with_number_parties_lines_and_totals(client_a, szef, company_a, sent_offer):
    with schema_context(company_a.schema_name):
        CompanySettingsFactory(tax_id="5260250274", street="ul. Długa 5", postal_code="00-950", city="Warszawa")
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Gęśla Jaźń S.A.", tax_id="7740001454", city="Łódź", email="zakupy@klient.test")
    offer = sent_offer(
        customer=customer, title="Wdrożenie CRM", introduction="Szanowni Państwo,\n\nprzedstawiamy ofertę."
    )

    response = client_a.login_as(szef).get(f"/offers/{offer.pk}/pdf/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    text = pdf_text(_content(response))
    assert f"nr {offer.number}" in text
    assert "Alfa Sp. z o.o." in text and "NIP: 5260250274" in text and "ul. Długa 5" in text
    assert "Gęśla Jaźń S.A." in text and "NIP: 7740001454" in text
    assert "Wdrożenie systemu" in text and "Szkolenie" in text
    assert "Szanowni Państwo," in text and "Wdrożenie CRM" in text
    assert "1 554,00 PLN" in text


def test_the_api_and_the_customers_page_give_the_same_pdf(api_szef, client_a, sent_offer):
    offer = sent_offer()

    from_api = api_szef.get(f"/api/v1/offers/{offer.pk}/pdf/")
    from_page = client_a.get(f"/o/{offer.public_token}/pdf/")

    assert from_api.status_code == from_page.status_code == 200
    assert offer.number in pdf_text(_content(from_api))
    assert offer.number in pdf_text(_content(from_page))
    assert from_page["X-Robots-Tag"] == "noindex, nofollow"


def test_an_english_offer_prints_in_english(client_a, szef, sent_offer):
    offer = sent_offer(language="en")

    text = pdf_text(_content(client_a.login_as(szef).get(f"/offers/{offer.pk}/pdf/")))

    assert "Valid until" in text and "Ważna do" not in text


def test_a_draft_prints_without_a_number(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        draft = offer_make(actor=szef)

    response = client_a.login_as(szef).get(f"/offers/{draft.pk}/pdf/")

    assert response.status_code == 200
    assert "szkic-oferty.pdf" in response["Content-Disposition"]


def test_the_customer_gets_the_pdf_attached_to_the_e_mail(sent_offer):
    mail.outbox.clear()
    offer = sent_offer()

    message = email.message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
    attachments = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]

    assert len(attachments) == 1
    assert offer.number in pdf_text(attachments[0].get_content())


def test_another_company_gets_no_pdf(client_b, outsider, api_outsider, company_a):
    with schema_context(company_a.schema_name):
        offer = offer_make()

    assert client_b.login_as(outsider).get(f"/offers/{offer.pk}/pdf/").status_code == 404
    assert api_outsider.get(f"/api/v1/offers/{offer.pk}/pdf/").status_code == 404
