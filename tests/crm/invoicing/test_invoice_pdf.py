"""The invoice as a PDF, read back as text (pypdf): from the card and the API, in Polish or
English, a draft marked as one, a correction with the corrected invoice and the lines
before and after, the KSeF number and its QR code once KSeF accepted the invoice; another
company and a Pracownik who does not see the invoice get a 404."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from crm.company.models import CompanySettings
from crm.invoicing.fa3 import invoice_xml
from crm.invoicing.models import Invoice
from crm.invoicing.pdf import invoice_ksef_url, invoice_pdf
from crm.invoicing.services import invoice_correction_create, invoice_issue
from crm.invoicing.tasks import invoice_ksef_send_task
from crm.ksef import KsefEnvironment, ksef_verification_url
from crm.settings.services import company_logo_set
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.documents.factories import pdf_images, pdf_text
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make, line
from tests.crm.offers.factories import offer_make

SELLER_NIP = "7740001454"


def _seller(company_settings_a) -> None:
    company_settings_a(
        tax_id=SELLER_NIP,
        street="ul. Kwiatowa 1",
        postal_code="00-001",
        city="Warszawa",
        bank_account="PL61109010140000071219812874",
    )


def test_the_card_downloads_the_pdf_with_number_parties_totals_and_amount_in_words(
    client_a, szef, company_settings_a, in_a
):
    _seller(company_settings_a)
    with in_a():
        invoice = issued_make(lines=[line("Wdrożenie CRM", "1000.00"), line("Szkolenie", "200.00", quantity=2)])

    response = client_a.login_as(szef).get(f"/invoices/{invoice.pk}/pdf/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    filename = re.sub(r"[^\w.-]+", "_", invoice.number) + ".pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    text = pdf_text(response.content)
    assert "Faktura VAT" in text and f"nr {invoice.number}" in text
    assert "Alfa Sp. z o.o." in text and f"NIP: {SELLER_NIP}" in text and "ul. Kwiatowa 1" in text
    assert "Hurtownia Śrubex Sp. z o.o." in text and "NIP: 5260250274" in text
    assert "Wdrożenie CRM" in text and "Szkolenie" in text
    assert "Razem do zapłaty: 1 722,00 PLN" in text  # (1000 + 2 × 200) × 1.23
    assert "jeden tysiąc siedemset dwadzieścia dwa złote 00/100" in text
    assert "PL61109010140000071219812874" in text


def test_the_company_logo_is_drawn(api_szef, company_settings_a, in_a):
    company_settings_a()
    out = io.BytesIO()
    Image.new("RGB", (120, 40), "navy").save(out, format="PNG")
    with in_a():
        settings = CompanySettings.objects.get(pk=1)
        company_logo_set(obj=settings, upload=SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png"))
        settings.save()
        invoice = issued_make()

    pdf = api_szef.get(f"/api/v1/invoices/{invoice.pk}/pdf/").content

    assert len(pdf_images(pdf)) == 1


def test_the_api_gives_the_pdf_and_english_on_request(api_szef, in_a):
    with in_a():
        invoice = issued_make()

    polish = api_szef.get(f"/api/v1/invoices/{invoice.pk}/pdf/")
    english = api_szef.get(f"/api/v1/invoices/{invoice.pk}/pdf/?lang=en")

    assert polish.status_code == english.status_code == 200
    assert polish["Content-Type"] == "application/pdf"
    polish_text, english_text = pdf_text(polish.content), pdf_text(english.content)
    assert invoice.number in polish_text and "Sprzedawca" in polish_text
    assert invoice.number in english_text
    assert "Seller" in english_text and "Buyer" in english_text and "Sprzedawca" not in english_text
    assert "one thousand two hundred thirty" in english_text.lower()


def test_the_card_offers_the_pdf_in_both_languages_and_the_list_links_it(client_a, szef, in_a):
    with in_a():
        invoice = issued_make()
    client_a.login_as(szef)

    card = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    listing = client_a.get("/invoices/").content.decode()

    assert f'href="/invoices/{invoice.pk}/pdf/"' in card and f'href="/invoices/{invoice.pk}/pdf/?lang=en"' in card
    assert f'href="/invoices/{invoice.pk}/pdf/"' in listing


def test_the_bench_call_prints_in_the_language_asked(in_a):
    with in_a():
        invoice = issued_make()
        text = pdf_text(invoice_pdf(invoice, language="en"))

    assert "VAT invoice" in text or "Invoice" in text
    assert invoice.number in text


def test_an_invoice_from_an_english_offer_prints_in_english_unless_polish_is_asked(client_a, szef, in_a):
    with in_a():
        customer = buyer_make()
        offer = offer_make(customer=customer, language="en")
        invoice = issued_make(customer=customer, offer=offer)
    client_a.login_as(szef)

    default = pdf_text(client_a.get(f"/invoices/{invoice.pk}/pdf/").content)
    polish = pdf_text(client_a.get(f"/invoices/{invoice.pk}/pdf/?lang=pl").content)

    assert "Seller" in default and "Sprzedawca" not in default
    assert "Sprzedawca" in polish


def test_a_foreign_currency_invoice_shows_the_rate_and_the_vat_in_pln(api_szef, in_a):
    with in_a():
        invoice = issued_make(currency="EUR", exchange_rate=Decimal("4.2500"))

    text = pdf_text(api_szef.get(f"/api/v1/invoices/{invoice.pk}/pdf/").content)

    assert "Kurs EUR/PLN: 4,2500" in text
    assert "Kwota VAT w PLN" in text and "977,50" in text  # 230.00 EUR × 4.25
    assert "Razem do zapłaty: 1 230,00 EUR" in text


def test_split_payment_and_the_exemption_basis_are_printed(api_szef, in_a):
    with in_a():
        invoice = issued_make(
            lines=[line("Szkolenie zawodowe", "500.00", vat_rate="zw"), line("Podręcznik", "100.00")],
            exemption_basis="art. 43 ust. 1 pkt 29 lit. c ustawy o VAT",
            split_payment=True,
        )

    text = pdf_text(api_szef.get(f"/api/v1/invoices/{invoice.pk}/pdf/").content)

    assert "mechanizm podzielonej płatności" in text
    assert "Podstawa zwolnienia z VAT: art. 43 ust. 1 pkt 29 lit. c ustawy o VAT" in text


def test_a_proforma_is_titled_and_marked_as_not_an_accounting_document(api_szef, in_a):
    with in_a():
        proforma = issued_make(kind="proforma")

    text = pdf_text(api_szef.get(f"/api/v1/invoices/{proforma.pk}/pdf/").content)

    assert "Faktura pro forma" in text and proforma.number in text
    assert "nie jest dokumentem księgowym" in text


def test_a_draft_is_previewed_marked_as_a_draft(client_a, szef, in_a):
    with in_a():
        draft = draft_make(actor=szef)

    response = client_a.login_as(szef).get(f"/invoices/{draft.pk}/pdf/")

    assert response.status_code == 200
    assert f'filename="szkic-faktury-{draft.pk}.pdf"' in response["Content-Disposition"]
    assert "(szkic)" in pdf_text(response.content)


def test_a_correction_shows_the_corrected_invoice_and_the_lines_before_and_after(client_a, szef, in_a):
    with in_a():
        original = issued_make(lines=[line("Wdrożenie CRM", "1000.00")])
        draft = invoice_correction_create(
            original=original, actor=szef, reason="Rabat posprzedażowy", lines=[line("Wdrożenie CRM", "800.00")]
        )
        correction = invoice_issue(invoice=draft, actor=None)

    text = pdf_text(client_a.login_as(szef).get(f"/invoices/{correction.pk}/pdf/").content)

    assert "Faktura korygująca" in text and correction.number in text
    assert f"Korekta faktury nr {original.number}" in text
    assert "Przyczyna korekty: Rabat posprzedażowy" in text
    assert "Przed korektą" in text and "Po korekcie" in text
    assert "1 230,00" in text and "984,00" in text  # gross before and after
    assert "Do zwrotu: 246,00 PLN" in text


def test_once_ksef_accepted_the_invoice_the_pdf_shows_its_number_and_the_qr_code(
    ksef_on, api_szef, client_a, szef, company_a, in_a
):
    with in_a():
        invoice = issued_make()
    before = client_a.login_as(szef).get(f"/invoices/{invoice.pk}/pdf/").content

    api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")
    invoice_ksef_send_task.apply(args=[invoice.pk], headers={"_schema_name": company_a.schema_name}).get()
    after = client_a.get(f"/invoices/{invoice.pk}/pdf/").content

    with in_a():
        invoice = Invoice.objects.get(pk=invoice.pk)
        expected_url = ksef_verification_url(
            xml=invoice_xml(invoice),
            seller_nip=invoice.seller["tax_id"],
            issue_date=invoice.issue_date,
            environment=KsefEnvironment.TEST,
        )
        assert invoice_ksef_url(invoice) == expected_url
    assert invoice.ksef_number
    assert "Numer KSeF" not in pdf_text(before) and pdf_images(before) == []
    assert f"Numer KSeF: {invoice.ksef_number}" in pdf_text(after)
    assert len(pdf_images(after)) == 1  # the QR code


def test_another_company_gets_no_pdf(client_b, outsider, api_outsider, in_a):
    with in_a():
        invoice = issued_make()

    assert client_b.login_as(outsider).get(f"/invoices/{invoice.pk}/pdf/").status_code == 404
    assert api_outsider.get(f"/api/v1/invoices/{invoice.pk}/pdf/").status_code == 404


def test_a_restricted_pracownik_gets_the_pdf_of_his_customers_invoices_only(
    api_restricted_pracownik, restricted_pracownik, szef, client_a, in_a
):
    with in_a():
        mine = issued_make(customer=buyer_make(owner=restricted_pracownik))
        hidden = issued_make(customer=CustomerFactory(owner=szef, name="Cudzy Klient"))
    client_a.login_as(restricted_pracownik)

    assert client_a.get(f"/invoices/{mine.pk}/pdf/").status_code == 200
    assert api_restricted_pracownik.get(f"/api/v1/invoices/{mine.pk}/pdf/").status_code == 200
    assert client_a.get(f"/invoices/{hidden.pk}/pdf/").status_code == 404
    assert api_restricted_pracownik.get(f"/api/v1/invoices/{hidden.pk}/pdf/").status_code == 404


def test_anonymous_visitors_are_sent_to_login_and_the_api_answers_401(client_a, in_a):
    with in_a():
        invoice = issued_make()

    page = client_a.get(f"/invoices/{invoice.pk}/pdf/")

    assert page.status_code == 302 and "login" in page["Location"]
    assert client_a.get(f"/api/v1/invoices/{invoice.pk}/pdf/").status_code == 401
