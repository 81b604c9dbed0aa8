"""GET /api/v1/invoices/<id>/ksef.xml: FA(3) that validates against the official schema, for
every kind of invoice the product issues; a pro-forma and a draft have none."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from crm.invoicing.models import KsefStatus
from crm.invoicing.services import invoice_correction_create, invoice_issue
from crm.ksef import fa3_validate
from crm.ksef.validation import FA3_NAMESPACE
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make, line
from tests.support.fake_ksef import DEFAULT_NIP

NS = {"fa": FA3_NAMESPACE}


def _seller(company_settings_a):
    company_settings_a(tax_id=DEFAULT_NIP, street="ul. Długa 5/7", postal_code="00-950", city="Warszawa")


def _xml(api_szef, invoice):
    response = api_szef.get(f"/api/v1/invoices/{invoice.pk}/ksef.xml")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    fa3_validate(response.content)  # raises when the official schema refuses it
    return etree.fromstring(response.content)


def test_vat_invoice_xml_is_valid_and_carries_number_parties_and_totals(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    with in_a():
        invoice = issued_make(
            lines=[line("Wdrożenie", "1000.00", quantity=Decimal(2)), line("Szkolenie", "500.00", vat_rate="8")]
        )

    root = _xml(api_szef, invoice)

    assert root.findtext("fa:Fa/fa:P_2", namespaces=NS) == invoice.number
    assert root.findtext("fa:Podmiot1/fa:DaneIdentyfikacyjne/fa:NIP", namespaces=NS) == DEFAULT_NIP
    assert root.findtext("fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP", namespaces=NS) == "5260250274"
    assert root.findtext("fa:Fa/fa:P_13_1", namespaces=NS) == "2000.00"
    assert root.findtext("fa:Fa/fa:P_14_2", namespaces=NS) == "40.00"
    assert root.findtext("fa:Fa/fa:P_15", namespaces=NS) == "3000.00"
    assert root.findtext("fa:Fa/fa:RodzajFaktury", namespaces=NS) == "VAT"


def test_the_downloaded_xml_is_the_same_every_time(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    with in_a():
        invoice = issued_make()

    first = api_szef.get(f"/api/v1/invoices/{invoice.pk}/ksef.xml").content
    second = api_szef.get(f"/api/v1/invoices/{invoice.pk}/ksef.xml").content

    assert first == second


def test_correction_xml_names_the_corrected_invoice_and_the_difference(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    with in_a():
        original = issued_make(lines=[line("Licencja", "1000.00", quantity=Decimal(3))])
        correction = invoice_correction_create(
            original=original,
            actor=None,
            reason="Zwrot licencji",
            lines=[line("Licencja", "1000.00", quantity=Decimal(2))],
        )
        correction = invoice_issue(invoice=correction, actor=None)

    root = _xml(api_szef, correction)

    assert root.findtext("fa:Fa/fa:RodzajFaktury", namespaces=NS) == "KOR"
    assert root.findtext("fa:Fa/fa:PrzyczynaKorekty", namespaces=NS) == "Zwrot licencji"
    assert root.findtext("fa:Fa/fa:DaneFaKorygowanej/fa:NrFaKorygowanej", namespaces=NS) == original.number
    assert root.findtext("fa:Fa/fa:P_13_1", namespaces=NS) == "-1000.00"
    assert root.findtext("fa:Fa/fa:P_15", namespaces=NS) == "-1230.00"


def test_foreign_currency_xml_carries_the_rate_and_vat_in_pln(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    with in_a():
        invoice = issued_make(currency="EUR", exchange_rate=Decimal("4.2879"), lines=[line("Consulting", "1000.00")])

    root = _xml(api_szef, invoice)

    assert root.findtext("fa:Fa/fa:KodWaluty", namespaces=NS) == "EUR"
    assert root.findtext("fa:Fa/fa:P_14_1W", namespaces=NS) == "986.22"  # 230 EUR × 4.2879


def test_exempt_xml_states_the_legal_basis(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    basis = "art. 43 ust. 1 pkt 29 lit. a ustawy o VAT"
    with in_a():
        invoice = issued_make(lines=[line("Szkolenie BHP", "300.00", vat_rate="zw")], exemption_basis=basis)

    root = _xml(api_szef, invoice)

    assert root.findtext("fa:Fa/fa:P_13_7", namespaces=NS) == "300.00"
    assert basis in etree.tostring(root, encoding="unicode")


def test_reverse_charge_xml_marks_it(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    with in_a():
        invoice = issued_make(lines=[line("Roboty budowlane", "5000.00", vat_rate="oo")])

    root = _xml(api_szef, invoice)

    assert root.findtext("fa:Fa/fa:P_13_10", namespaces=NS) == "5000.00"
    assert root.findtext("fa:Fa/fa:Adnotacje/fa:P_18", namespaces=NS) == "1"


def test_split_payment_is_marked_over_15000_pln_with_annex15_goods(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    with in_a():
        invoice = issued_make(lines=[line("Laptop", "20000.00", gtu="GTU_06")])
        small = issued_make(lines=[line("Laptop", "1000.00", gtu="GTU_06")])
        consumer = issued_make(customer=buyer_make(tax_id=""), lines=[line("Laptop", "20000.00", gtu="GTU_06")])

    assert invoice.split_payment and not small.split_payment and not consumer.split_payment
    root = _xml(api_szef, invoice)
    assert root.findtext("fa:Fa/fa:Adnotacje/fa:P_18A", namespaces=NS) == "1"


def test_proforma_and_draft_have_no_ksef_xml(api_szef, client_a, szef, company_settings_a, in_a):
    _seller(company_settings_a)
    with in_a():
        proforma = issued_make(kind="proforma")
        draft = draft_make()

    assert api_szef.get(f"/api/v1/invoices/{proforma.pk}/ksef.xml").status_code == 400
    assert api_szef.get(f"/api/v1/invoices/{draft.pk}/ksef.xml").status_code == 400
    client_a.login_as(szef)
    assert client_a.get(f"/invoices/{proforma.pk}/ksef.xml").status_code == 302  # back to the card, with the reason


# --- every kind, through the whole pipeline, against the official schema ---------------------


def test_every_kind_the_product_issues_gives_schema_valid_xml(api_szef, company_settings_a, in_a):
    _seller(company_settings_a)
    basis = "art. 43 ust. 1 pkt 29 lit. a ustawy o VAT"
    with in_a():
        vat = issued_make(lines=[line("Wdrożenie", "1000.00"), line("Szkolenie", "500.00", vat_rate="8")])
        euro = issued_make(currency="EUR", exchange_rate=Decimal("4.2879"), lines=[line("Consulting", "1000.00")])
        exempt = issued_make(lines=[line("Szkolenie BHP", "300.00", vat_rate="zw")], exemption_basis=basis)
        reverse = issued_make(lines=[line("Roboty budowlane", "5000.00", vat_rate="oo")])
        split = issued_make(lines=[line("Laptop", "20000.00", gtu="GTU_06")])
        correction = invoice_issue(
            invoice=invoice_correction_create(
                original=euro, actor=None, reason="Rabat posprzedażowy", lines=[line("Consulting", "900.00")]
            ),
            actor=None,
        )

    kinds = {}
    for name, invoice in {
        "vat": vat,
        "eur": euro,
        "zw": exempt,
        "oo": reverse,
        "mpp": split,
        "correction": correction,
    }.items():
        kinds[name] = _xml(api_szef, invoice)  # each validated against the FA(3) schema

    def text(name, path):
        return kinds[name].findtext(path, namespaces=NS)

    assert text("vat", "fa:Fa/fa:RodzajFaktury") == "VAT" and text("vat", "fa:Fa/fa:P_14_2") == "40.00"
    assert text("eur", "fa:Fa/fa:KodWaluty") == "EUR"
    assert text("eur", "fa:Fa/fa:FaWiersz/fa:KursWaluty") == "4.2879"
    assert text("zw", "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19") == "1"
    assert text("zw", "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19A") == basis
    assert text("oo", "fa:Fa/fa:Adnotacje/fa:P_18") == "1" and text("oo", "fa:Fa/fa:P_13_10") == "5000.00"
    assert text("mpp", "fa:Fa/fa:Adnotacje/fa:P_18A") == "1"
    assert text("vat", "fa:Fa/fa:Adnotacje/fa:P_18A") == "2"
    assert text("correction", "fa:Fa/fa:RodzajFaktury") == "KOR"
    assert text("correction", "fa:Fa/fa:KodWaluty") == "EUR"
    assert text("correction", "fa:Fa/fa:DaneFaKorygowanej/fa:NrFaKorygowanej") == euro.number
    assert text("correction", "fa:Fa/fa:P_13_1") == "-100.00"


def test_a_proforma_is_refused_for_ksef_with_the_reason_and_is_never_queued(
    api_szef, client_a, szef, company_settings_a, in_a
):
    _seller(company_settings_a)
    reason = "Faktura pro forma nie jest fakturą VAT i nie jest wysyłana do KSeF."
    with in_a():
        proforma = issued_make(kind="proforma")

    response = api_szef.get(f"/api/v1/invoices/{proforma.pk}/ksef.xml")

    assert response.status_code == 400 and not response["Content-Type"].startswith("application/xml")
    assert reason in response.content.decode()
    client_a.login_as(szef)
    page = client_a.get(f"/invoices/{proforma.pk}/ksef.xml", follow=True)
    assert page.redirect_chain[-1][0] == f"/invoices/{proforma.pk}/" and reason in page.content.decode()
    card = client_a.get(f"/invoices/{proforma.pk}/").content.decode()
    assert f"/invoices/{proforma.pk}/send-ksef/" not in card and f"/invoices/{proforma.pk}/ksef.xml" not in card

    client_a.post(f"/invoices/{proforma.pk}/send-ksef/")
    queued = api_szef.post(f"/api/v1/invoices/{proforma.pk}/send-ksef/")

    assert queued.status_code in (400, 409)
    with in_a():
        proforma.refresh_from_db()
        assert proforma.ksef_status == KsefStatus.NOT_APPLICABLE and not proforma.ksef_number
