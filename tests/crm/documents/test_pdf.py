"""PDF of offers and invoices, read back as text (pypdf): what the customer and the tax
office see on the paper, in Polish and in English."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from crm.documents.pdf import ASSETS, _AssetsOnly, document_pdf
from crm.documents.printable import Correction, DocumentKind, ExchangeRate, printable_line
from tests.crm.documents.factories import BUYER, SELLER, invoice_make, lines_make, pdf_images, pdf_text, totals_of

KSEF_NUMBER = "5260250274-20261203-0100A1B2C3D4-E5"
KSEF_URL = "https://ksef-test.mf.gov.pl/client-app/invoice/5260250274/03-12-2026/Ab3dEf_-x9"


def test_a_polish_vat_invoice_shows_its_number_parties_lines_totals_and_amount_in_words():
    text = pdf_text(document_pdf(invoice_make(), language="pl"))

    assert "Faktura VAT nr FV/2026/12/7" in text
    assert "Data wystawienia: 03.12.2026" in text
    assert "Data sprzedaży: 02.12.2026" in text
    assert "Sprzedawca" in text and "Żółta Łódź Sp. z o.o." in text and "NIP: 5260250274" in text
    assert "Nabywca" in text and "Gęśla Jaźń S.A." in text and "NIP: 7740001454" in text
    assert "ul. Źródlana 5/7" in text
    for n in range(1, 11):
        assert f"Usługa wdrożeniowa {n}" in text
    assert "12 345,00" in text  # line 10: 10 × 1 234,50
    assert "Razem 67 897,50 15 616,43 83 513,93" in text  # per-rate VAT: 23% of 67 897,50 rounded once
    assert "Razem do zapłaty: 83 513,93 PLN" in text
    assert "Słownie: osiemdziesiąt trzy tysiące pięćset trzynaście złotych 93/100" in text
    assert "Numer rachunku: PL61 1090 1014 0000 0712 1981 2874" in text
    assert "Termin płatności: 17.12.2026" in text
    assert "Sposób płatności: przelew" in text


def test_an_english_vat_invoice_has_english_labels_numbers_and_words():
    text = pdf_text(document_pdf(invoice_make(payment_method="bank transfer"), language="en"))

    assert "VAT invoice no. FV/2026/12/7" in text
    assert "Issue date: 12/03/2026" in text
    assert "Seller" in text and "Buyer" in text
    assert "Żółta Łódź Sp. z o.o." in text and "Gęśla Jaźń S.A." in text
    assert "Tax ID (NIP): 5260250274" in text
    assert "Usługa wdrożeniowa 10" in text
    assert "Total 67,897.50 15,616.43 83,513.93" in text
    assert "Total due: 83,513.93 PLN" in text
    assert "In words: eighty-three thousand five hundred thirteen PLN 93/100" in text
    assert "Faktura" not in text and "Razem" not in text


def test_polish_letters_come_back_from_the_pdf_as_written():
    letters = "Zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ"
    doc = invoice_make(buyer=replace(BUYER, name=letters), lines=lines_make(1), notes="Źdźbło, łódź i ćma — „cytat”.")

    text = pdf_text(document_pdf(doc, language="pl"))

    assert letters in text
    assert "Źdźbło, łódź i ćma — „cytat”." in text


def test_the_font_is_embedded_so_every_reader_shows_the_same_letters():
    pdf = document_pdf(invoice_make(lines=lines_make(1)), language="pl")

    fonts = [
        font.get_object() for page in PdfReader(io.BytesIO(pdf)).pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts
    for font in fonts:
        assert font["/BaseFont"].split("+")[1] in ("ImCRM-Sans", "ImCRM-Sans-Bold")  # the vendored DejaVu Sans
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor  # the font program itself is in the file


def test_a_qr_code_of_the_verification_link_is_drawn_once_the_ksef_number_is_known():
    doc = invoice_make(ksef_number=KSEF_NUMBER, ksef_url=KSEF_URL)

    pdf = document_pdf(doc, language="pl")

    assert f"Numer KSeF: {KSEF_NUMBER}" in pdf_text(pdf)
    (image,) = pdf_images(pdf)
    drawn = image.image.convert("L")
    expected = segno.make(KSEF_URL, error="m")
    border = 4
    width = len(expected.matrix[0])
    assert drawn.size == (width + 2 * border, width + 2 * border)
    modules = [
        [drawn.getpixel((x + border, y + border)) < 128 for x in range(width)] for y in range(len(expected.matrix))
    ]
    assert modules == [[bool(v) for v in row] for row in expected.matrix]


def test_without_a_ksef_link_there_is_no_qr_code():
    pdf = document_pdf(invoice_make(), language="pl")

    assert pdf_images(pdf) == []
    assert "KSeF" not in pdf_text(pdf)


def test_the_ksef_number_alone_is_printed_without_a_code():
    pdf = document_pdf(invoice_make(ksef_number=KSEF_NUMBER), language="en")

    assert f"KSeF number: {KSEF_NUMBER}" in pdf_text(pdf)
    assert pdf_images(pdf) == []


def test_a_correction_shows_what_it_corrects_before_after_and_the_refund():
    before = lines_make(3)
    after = lines_make(2)
    doc = invoice_make(
        kind=DocumentKind.CORRECTION,
        number="KOR/2026/12/1",
        lines=after,
        correction=Correction(
            corrected_number="FV/2026/12/7",
            corrected_issue_date=date(2026, 12, 3),
            corrected_ksef_number=KSEF_NUMBER,
            reason="Zwrot części towaru",
            lines_before=before,
            totals_before=totals_of(before),
        ),
    )

    text = pdf_text(document_pdf(doc, language="pl"))

    assert "Faktura korygująca nr KOR/2026/12/1" in text
    assert "Korekta faktury nr FV/2026/12/7 z dnia 03.12.2026" in text
    assert f"Numer KSeF faktury korygowanej: {KSEF_NUMBER}" in text
    assert "Przyczyna korekty: Zwrot części towaru" in text
    assert text.index("Przed korektą") < text.index("Usługa wdrożeniowa 3") < text.index("Po korekcie")
    # Line 3 (3 703,50 net) is taken back; VAT is the difference of the per-rate totals:
    # 851,81 after (23% of 3 703,50) less 1 703,61 before (23% of 7 407,00).
    assert "Razem -3 703,50 -851,80 -4 555,30" in text
    assert "Do zwrotu: 4 555,30 PLN" in text
    assert "Słownie: cztery tysiące pięćset pięćdziesiąt pięć złotych 30/100" in text


def test_an_english_correction_says_to_be_refunded():
    before, after = lines_make(2), lines_make(1)
    doc = invoice_make(
        kind=DocumentKind.CORRECTION,
        number="KOR/2026/12/2",
        lines=after,
        correction=Correction(
            corrected_number="FV/2026/12/7",
            reason="Wrong quantity",
            lines_before=before,
            totals_before=totals_of(before),
        ),
    )

    text = pdf_text(document_pdf(doc, language="en"))

    assert "Corrective invoice no. KOR/2026/12/2" in text
    assert "Correction of invoice no. FV/2026/12/7" in text
    assert "Reason for the correction: Wrong quantity" in text
    assert "Before correction" in text and "After correction" in text and "Difference (correction)" in text
    assert "To be refunded: 3,036.87 PLN" in text


def test_a_foreign_currency_invoice_gives_the_exchange_rate_and_vat_in_pln():
    doc = invoice_make(
        currency="EUR",
        lines=lines_make(2, price="100.00"),
        exchange_rate=ExchangeRate(rate=Decimal("4.2345"), date=date(2026, 12, 1), table="233/A/NBP/2026"),
    )

    text = pdf_text(document_pdf(doc, language="pl"))

    assert "Kurs EUR/PLN: 4,2345 z dnia 01.12.2026, tabela NBP nr 233/A/NBP/2026." in text
    assert "Kwota VAT w PLN" in text
    assert "Razem 300,00 69,00 369,00 292,18" in text  # 69,00 EUR × 4,2345 = 292,18 PLN
    assert "Razem do zapłaty: 369,00 EUR" in text
    assert "Słownie: trzysta sześćdziesiąt dziewięć euro 00/100" in text


def test_split_payment_reverse_charge_and_exemption_are_marked_in_the_words_the_law_uses():
    doc = invoice_make(
        lines=lines_make(3, rates=("23", "zw", "oo")),
        split_payment=True,
        exemption_basis="art. 43 ust. 1 pkt 37 ustawy o VAT",
    )

    pl = pdf_text(document_pdf(doc, language="pl"))
    en = pdf_text(document_pdf(doc, language="en"))

    assert "mechanizm podzielonej płatności" in pl
    assert "odwrotne obciążenie" in pl
    assert "Podstawa zwolnienia z VAT: art. 43 ust. 1 pkt 37 ustawy o VAT" in pl
    assert "23% " in pl and " zw " in pl and " oo " in pl
    assert "mechanizm podzielonej płatności (split payment)" in en
    assert "odwrotne obciążenie (reverse charge)" in en
    assert "Legal basis of the VAT exemption: art. 43 ust. 1 pkt 37 ustawy o VAT" in en


def test_no_marks_when_none_apply():
    text = pdf_text(document_pdf(invoice_make(), language="pl"))

    assert "podzielonej" not in text
    assert "odwrotne" not in text
    assert "zwolnienia" not in text


def test_a_partly_paid_invoice_shows_what_is_left_to_pay():
    text = pdf_text(document_pdf(invoice_make(paid=Decimal("13513.93")), language="pl"))

    assert "Zapłacono: 13 513,93 PLN" in text
    assert "Pozostało do zapłaty: 70 000,00 PLN" in text


def test_a_proforma_says_it_is_not_an_accounting_document():
    text = pdf_text(document_pdf(invoice_make(kind=DocumentKind.PROFORMA, number="PRO/2026/12/1"), language="pl"))

    assert "Faktura pro forma nr PRO/2026/12/1" in text
    assert "nie jest dokumentem księgowym" in text


def test_an_offer_shows_its_validity_introduction_and_value_but_no_payment():
    doc = invoice_make(
        kind=DocumentKind.OFFER,
        number="OF/2026/3",
        valid_until=date(2027, 1, 3),
        introduction_html="<h2>Szanowni Państwo,</h2><p>przedstawiamy <strong>ofertę</strong> wdrożenia.</p>",
    )

    text = pdf_text(document_pdf(doc, language="pl"))

    assert "Oferta handlowa nr OF/2026/3" in text
    assert "Ważna do: 03.01.2027" in text
    assert "Szanowni Państwo, przedstawiamy ofertę wdrożenia." in text
    assert "Oferent" in text and "Klient" in text
    assert "Wartość oferty brutto: 83 513,93 PLN" in text
    assert "Termin płatności" not in text
    assert "Data sprzedaży" not in text


def test_an_offers_introduction_loses_scripts_images_and_styles():
    doc = invoice_make(
        kind=DocumentKind.OFFER,
        introduction_html=(
            '<p style="position:fixed">Wstęp</p><script>alert("x")</script>'
            '<img src="file:///etc/hostname"><iframe src="http://127.0.0.1/"></iframe>'
        ),
    )

    pdf = document_pdf(doc, language="pl")

    assert "Wstęp" in pdf_text(pdf)
    assert "alert" not in pdf_text(pdf)
    assert pdf_images(pdf) == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        ASSETS.as_uri() + "/../pdf.py",
        ASSETS.as_uri() + "/fonts/../../words.py",
        "http://127.0.0.1:1/logo.png",
        "https://example.com/x.css",
    ],
)
def test_the_renderer_loads_nothing_outside_its_own_assets(url):
    with pytest.raises(ValueError):
        _AssetsOnly().fetch(url)


def test_the_renderer_loads_its_own_fonts():
    font = ASSETS / "fonts" / "DejaVuSans.ttf"

    assert _AssetsOnly().fetch(font.as_uri()).read() == font.read_bytes()


def test_an_svg_logo_cannot_pull_in_a_local_file(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(secret)
    logo = f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><image href="file://{secret}"/></svg>'

    pdf = document_pdf(invoice_make(logo=logo.encode()), language="pl")

    assert pdf_images(pdf) == []


def test_the_company_logo_is_drawn_and_a_broken_one_is_left_out(tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (120, 40), "navy").save(png, format="PNG")
    path = tmp_path / "logo.png"
    path.write_bytes(png.getvalue())

    assert len(pdf_images(document_pdf(invoice_make(logo=png.getvalue()), language="pl"))) == 1
    assert len(pdf_images(document_pdf(invoice_make(logo=path), language="pl"))) == 1
    assert pdf_images(document_pdf(invoice_make(logo=b"not an image"), language="pl")) == []
    assert pdf_images(document_pdf(invoice_make(logo=tmp_path / "missing.png"), language="pl")) == []


def test_a_draft_has_no_number_and_says_so():
    text = pdf_text(document_pdf(invoice_make(number=""), language="pl"))

    assert "Faktura VAT (szkic)" in text


def test_a_long_invoice_continues_on_numbered_pages_with_its_number():
    text = pdf_text(document_pdf(invoice_make(lines=lines_make(60)), language="pl"))

    assert "Strona 1 / 2" in text or "Strona 1 / 3" in text
    assert text.count("FV/2026/12/7") >= 3  # the title and each page's footer
    assert "Usługa wdrożeniowa 60" in text


def test_a_discount_column_appears_only_when_a_line_has_a_discount():
    discounted = (
        printable_line(
            number=1,
            name="Licencja",
            quantity=Decimal(3),
            unit="szt.",
            net_price=Decimal("19.99"),
            vat_rate="23",
            discount_percent=Decimal(10),
        ),
    )

    assert "Rabat %" in pdf_text(document_pdf(invoice_make(lines=discounted), language="pl"))
    assert "53,97" in pdf_text(document_pdf(invoice_make(lines=discounted), language="pl"))  # 59,97 less 10%
    assert "Rabat" not in pdf_text(document_pdf(invoice_make(), language="pl"))


def test_the_amount_in_words_can_be_given_by_the_caller():
    text = pdf_text(document_pdf(invoice_make(amount_in_words="tyle, ile trzeba"), language="pl"))

    assert "Słownie: tyle, ile trzeba" in text


def test_the_seller_and_buyer_keep_their_own_data():
    text = pdf_text(document_pdf(invoice_make(), language="pl"))

    assert text.index(SELLER.name) < text.index(BUYER.name)
