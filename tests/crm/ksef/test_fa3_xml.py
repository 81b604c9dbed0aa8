"""FA(3) XML for every kind of invoice validates against the official schema (fa3_xml
validates before returning; the tests validate again and read the fields back)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.documents.totals import VatRate
from crm.ksef import (
    Address,
    Buyer,
    Correction,
    CorrectionEffect,
    Exemption,
    ExemptionBasis,
    Fa3Error,
    Fa3ProformaRefused,
    InvoiceKind,
    Line,
    Payment,
    PaymentMethod,
    RateTotal,
    fa3_rate,
    fa3_validate,
    fa3_xml,
)
from tests.crm.ksef.factories import invoice, line, totals, xml_all, xml_text


def test_domestic_invoice_with_23_8_5_and_0_percent_lines_validates_with_a_total_per_rate() -> None:
    items = (
        line("Tort weselny", "1", "400.00", "23"),
        line("Kanapki", "20", "6.15", "8", discount="10"),
        line("Chleb żytni", "10", "8.50", "5", gtu="GTU_01"),
        line("Podręcznik", "3", "39.99", "0", pkwiu="58.11.1"),
        line("Tort urodzinowy", "1", "99.99", "23"),
    )
    xml = fa3_xml(invoice(*items))

    fa3_validate(xml)
    assert xml_text(xml, "fa:Fa/fa:P_13_1") == "499.99"
    assert xml_text(xml, "fa:Fa/fa:P_14_1") == "115.00"  # 23% of 499.99 = 114.9977, per rate
    assert xml_text(xml, "fa:Fa/fa:P_13_2") == "110.70"
    assert xml_text(xml, "fa:Fa/fa:P_14_2") == "8.86"
    assert xml_text(xml, "fa:Fa/fa:P_13_3") == "85.00"
    assert xml_text(xml, "fa:Fa/fa:P_14_3") == "4.25"
    assert xml_text(xml, "fa:Fa/fa:P_13_6_1") == "119.97"
    assert xml_text(xml, "fa:Fa/fa:P_15") == "943.77"
    assert xml_all(xml, "fa:Fa/fa:FaWiersz/fa:P_12") == ["23", "8", "5", "0 KR", "23"]
    assert xml_text(xml, "fa:Fa/fa:FaWiersz[2]/fa:P_10") == "12.30"  # the 10% discount as an amount
    assert xml_text(xml, "fa:Fa/fa:FaWiersz[3]/fa:GTU") == "GTU_01"
    assert xml_text(xml, "fa:Fa/fa:RodzajFaktury") == "VAT"
    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19N") == "1"
    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:P_18") == "2"


def test_invoice_header_parties_dates_and_payment_are_written_where_ksef_reads_them() -> None:
    xml = fa3_xml(invoice(split_payment=True))

    fa3_validate(xml)  # split payment (MPP) too
    assert xml_text(xml, "fa:Naglowek/fa:KodFormularza") == "FA"
    assert xml_text(xml, "fa:Podmiot1/fa:DaneIdentyfikacyjne/fa:NIP") == "5261040828"
    assert xml_text(xml, "fa:Podmiot1/fa:Adres/fa:AdresL2") == "00-950 Warszawa"
    assert xml_text(xml, "fa:Podmiot1/fa:DaneKontaktowe/fa:Telefon") == "+48221234567"
    assert xml_text(xml, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP") == "7740001454"
    assert xml_text(xml, "fa:Fa/fa:P_1") == "2026-03-16"
    assert xml_text(xml, "fa:Fa/fa:P_1M") == "Warszawa"
    assert xml_text(xml, "fa:Fa/fa:P_2") == "FV/2026/03/17"
    assert xml_text(xml, "fa:Fa/fa:P_6") == "2026-03-14"
    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:P_18A") == "1"  # split payment
    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:TerminPlatnosci/fa:Termin") == "2026-03-30"
    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:FormaPlatnosci") == "6"  # bank transfer
    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:RachunekBankowy/fa:NrRB") == "PL61109010140000071219812874"


def test_a_sale_date_equal_to_the_issue_date_is_not_repeated() -> None:
    xml = fa3_xml(invoice(sale_date=date(2026, 3, 16)))

    assert xml_text(xml, "fa:Fa/fa:P_6") is None


def test_exempt_sale_names_its_legal_basis() -> None:
    items = (line("Szkolenie BHP", "1", "1200.00", "zw"), line("Materiały", "1", "100.00", "23"))
    xml = fa3_xml(invoice(*items, exemption=Exemption("art. 43 ust. 1 pkt 29 lit. c ustawy o VAT")))

    fa3_validate(xml)
    assert xml_text(xml, "fa:Fa/fa:P_13_7") == "1200.00"
    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19") == "1"
    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19A") == "art. 43 ust. 1 pkt 29 lit. c ustawy o VAT"
    assert xml_text(xml, "fa:Fa/fa:FaWiersz[1]/fa:P_12") == "zw"


def test_exemption_under_the_directive_goes_to_its_own_field() -> None:
    xml = fa3_xml(
        invoice(
            line("Usługa medyczna", "1", "300", "zw"),
            exemption=Exemption("art. 132 ust. 1 lit. c dyrektywy 2006/112/WE", ExemptionBasis.DIRECTIVE),
        )
    )

    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19B") == "art. 132 ust. 1 lit. c dyrektywy 2006/112/WE"


def test_exempt_sale_without_a_legal_basis_is_refused() -> None:
    with pytest.raises(Fa3Error, match="podstawy prawnej") as refused:
        fa3_xml(invoice(line("Szkolenie", "1", "1200.00", "zw")))

    assert refused.value.field == "exemption"


def test_reverse_charge_is_marked_and_carries_no_vat() -> None:
    xml = fa3_xml(invoice(line("Złom stalowy", "2000", "1.15", "oo")))

    fa3_validate(xml)
    assert xml_text(xml, "fa:Fa/fa:P_13_10") == "2300.00"
    assert xml_text(xml, "fa:Fa/fa:P_14_1") is None
    assert xml_text(xml, "fa:Fa/fa:P_15") == "2300.00"
    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:P_18") == "1"  # "odwrotne obciążenie"
    assert xml_text(xml, "fa:Fa/fa:FaWiersz/fa:P_12") == "oo"


def test_foreign_currency_invoice_gives_vat_in_pln_and_the_exchange_rate() -> None:
    items = (line("Consulting", "10", "120.00", "23"), line("Hosting", "1", "35.55", "8"))
    xml = fa3_xml(
        invoice(
            *items,
            currency="EUR",
            exchange_rate=Decimal("4.2817"),
            exchange_rate_note="Tabela NBP nr 051/A/NBP/2026 z 13.03.2026",
        )
    )

    fa3_validate(xml)
    assert xml_text(xml, "fa:Fa/fa:KodWaluty") == "EUR"
    assert xml_text(xml, "fa:Fa/fa:P_13_1") == "1200.00"  # in EUR
    assert xml_text(xml, "fa:Fa/fa:P_14_1") == "276.00"  # in EUR
    assert xml_text(xml, "fa:Fa/fa:P_14_1W") == "1181.75"  # 276.00 × 4.2817 in PLN
    assert xml_text(xml, "fa:Fa/fa:P_14_2W") == "12.16"  # 2.84 × 4.2817
    assert xml_all(xml, "fa:Fa/fa:FaWiersz/fa:KursWaluty") == ["4.2817", "4.2817"]
    assert xml_text(xml, "fa:Fa/fa:DodatkowyOpis/fa:Wartosc") == "Tabela NBP nr 051/A/NBP/2026 z 13.03.2026"


def test_foreign_currency_vat_in_pln_given_by_the_caller_is_kept() -> None:
    items = (line("Consulting", "10", "120.00", "23"),)
    given = (RateTotal("23", Decimal("1200.00"), Decimal("276.00"), Decimal("1476.00"), vat_pln=Decimal("1181.74")),)
    xml = fa3_xml(invoice(*items, totals=given, currency="EUR", exchange_rate=Decimal("4.2817")))

    assert xml_text(xml, "fa:Fa/fa:P_14_1W") == "1181.74"


def test_foreign_currency_without_an_exchange_rate_is_refused() -> None:
    with pytest.raises(Fa3Error, match="kursu waluty"):
        fa3_xml(invoice(currency="EUR"))


def test_eu_buyer_is_identified_by_the_vat_number_and_the_seller_by_its_pl_prefix() -> None:
    buyer = Buyer(
        name="Bäckerei GmbH",
        tax_id="DE 123456789",
        tax_id_country="DE",
        address=Address("Hauptstr. 1", "10115 Berlin", "DE"),
    )
    xml = fa3_xml(invoice(line("Mąka", "100", "3.10", "0 WDT"), buyer=buyer))

    fa3_validate(xml)
    assert xml_text(xml, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:KodUE") == "DE"
    assert xml_text(xml, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NrVatUE") == "123456789"
    assert xml_text(xml, "fa:Podmiot1/fa:PrefiksPodatnika") == "PL"
    assert xml_text(xml, "fa:Fa/fa:P_13_6_2") == "310.00"


def test_services_to_an_eu_business_are_outside_polish_vat_and_reverse_charged() -> None:
    buyer = Buyer(name="Studio SARL", tax_id="FR12345678901", tax_id_country="FR")
    xml = fa3_xml(invoice(line("Projekt logo", "1", "2000", "np II"), buyer=buyer))

    assert xml_text(xml, "fa:Fa/fa:P_13_9") == "2000.00"
    assert xml_text(xml, "fa:Fa/fa:Adnotacje/fa:P_18") == "1"


def test_buyer_outside_the_eu_gets_its_own_tax_id_and_np_sale() -> None:
    buyer = Buyer(
        name="Acme Inc.", tax_id="12-3456789", tax_id_country="US", address=Address("1 Main St", "Springfield", "US")
    )
    xml = fa3_xml(invoice(line("Licencja", "1", "500", "np"), buyer=buyer))

    assert xml_text(xml, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:KodKraju") == "US"
    assert xml_text(xml, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NrID") == "12-3456789"
    assert xml_text(xml, "fa:Fa/fa:P_13_8") == "500.00"


def test_consumer_without_a_tax_id_is_marked_as_such() -> None:
    xml = fa3_xml(invoice(buyer=Buyer(name="Jan Kowalski", address=Address("ul. Polna 3", "05-800 Pruszków"))))

    fa3_validate(xml)
    assert xml_text(xml, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:BrakID") == "1"


def test_correction_with_lines_before_and_after_validates_and_totals_the_difference() -> None:
    before = (line("Tort weselny", "2", "400.00", "23"), line("Chleb żytni", "10", "8.50", "5"))
    after = (line("Tort weselny", "1", "400.00", "23"), line("Chleb żytni", "10", "8.50", "5"))
    correction = Correction(
        reason="Zwrot jednego tortu",
        corrected_number="FV/2026/03/17",
        corrected_issue_date=date(2026, 3, 16),
        corrected_ksef_number="5261040828-20260316-0A1B2C-3D4E5F-1A",
        effect=CorrectionEffect.CORRECTION_DATE,
        lines_before=before,
    )
    xml = fa3_xml(
        invoice(
            *after,
            kind=InvoiceKind.CORRECTION,
            number="KOR/2026/03/2",
            correction=correction,
            totals=totals(after, before),
        )
    )

    fa3_validate(xml)
    assert xml_text(xml, "fa:Fa/fa:RodzajFaktury") == "KOR"
    assert xml_text(xml, "fa:Fa/fa:PrzyczynaKorekty") == "Zwrot jednego tortu"
    assert xml_text(xml, "fa:Fa/fa:TypKorekty") == "2"
    assert xml_text(xml, "fa:Fa/fa:DaneFaKorygowanej/fa:NrFaKorygowanej") == "FV/2026/03/17"
    assert xml_text(xml, "fa:Fa/fa:DaneFaKorygowanej/fa:NrKSeFFaKorygowanej") == correction.corrected_ksef_number
    assert xml_text(xml, "fa:Fa/fa:P_13_1") == "-400.00"
    assert xml_text(xml, "fa:Fa/fa:P_14_1") == "-92.00"
    assert xml_text(xml, "fa:Fa/fa:P_13_3") == "0.00"
    assert xml_text(xml, "fa:Fa/fa:P_15") == "-492.00"
    assert xml_all(xml, "fa:Fa/fa:FaWiersz/fa:StanPrzed") == ["1", "1"]  # the two lines as they were
    assert xml_all(xml, "fa:Fa/fa:FaWiersz/fa:NrWierszaFa") == ["1", "2", "3", "4"]


def test_correction_by_difference_of_an_invoice_outside_ksef_validates() -> None:
    diff = (line("Rabat posprzedażowy", "1", "-100.00", "23"),)
    correction = Correction(
        reason="Rabat za obrót", corrected_number="FV/2025/12/4", corrected_issue_date=date(2025, 12, 10)
    )
    xml = fa3_xml(invoice(*diff, kind=InvoiceKind.CORRECTION, number="KOR/2026/01/1", correction=correction))

    fa3_validate(xml)
    assert xml_text(xml, "fa:Fa/fa:DaneFaKorygowanej/fa:NrKSeFN") == "1"
    assert xml_text(xml, "fa:Fa/fa:P_15") == "-123.00"


def test_correction_without_the_corrected_invoice_is_refused() -> None:
    with pytest.raises(Fa3Error, match="korygowaną fakturę"):
        fa3_xml(invoice(kind=InvoiceKind.CORRECTION))


def test_pro_forma_is_never_turned_into_ksef_xml() -> None:
    with pytest.raises(Fa3ProformaRefused, match="pro forma"):
        fa3_xml(invoice(kind=InvoiceKind.PROFORMA))


def test_draft_without_a_number_is_refused() -> None:
    with pytest.raises(Fa3Error, match="wystaw"):
        fa3_xml(invoice(number=""))


def test_totals_that_disagree_with_the_lines_are_refused() -> None:
    wrong = (RateTotal("5", Decimal("80.00"), Decimal("4.00"), Decimal("84.00")),)
    with pytest.raises(Fa3Error, match="nie zgadza się"):
        fa3_xml(invoice(totals=wrong))


def test_a_seller_nip_with_a_wrong_checksum_is_refused() -> None:
    from tests.crm.ksef.factories import seller

    with pytest.raises(Fa3Error, match="NIP"):
        fa3_xml(invoice(seller=seller(nip="5261040827")))


def test_every_vat_rate_of_the_product_has_its_place_in_fa3() -> None:
    assert [fa3_rate(code) for code in VatRate.values] == ["23", "8", "5", "0 KR", "zw", "np I", "oo"]


def test_unknown_vat_rate_and_gtu_are_refused() -> None:
    odd = Line(name="X", quantity=Decimal(1), unit="szt.", net_price=Decimal(1), vat_rate="7", net_value=Decimal(1))
    with pytest.raises(Fa3Error, match="stawka"):
        fa3_xml(invoice(odd, totals=()))
    with pytest.raises(Fa3Error, match="GTU"):
        fa3_xml(invoice(line("X", "1", "1", "23", gtu="GTU_14")))


def test_control_characters_and_long_whitespace_in_names_still_give_valid_xml() -> None:
    xml = fa3_xml(invoice(line("Chleb\x00 \x0b żytni  ", "1", "8.50", "5")))

    assert xml_text(xml, "fa:Fa/fa:FaWiersz/fa:P_7") == "Chleb  żytni"


def test_compensation_is_written_as_another_payment_method_with_its_description() -> None:
    xml = fa3_xml(invoice(payment=Payment(method=PaymentMethod.COMPENSATION)))

    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:FormaPlatnosci") is None
    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:PlatnoscInna") == "1"
    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:OpisPlatnosci") == "Kompensata"


def test_paid_invoice_carries_the_payment_date() -> None:
    xml = fa3_xml(invoice(payment=Payment(paid_on=date(2026, 3, 16))))

    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:Zaplacono") == "1"
    assert xml_text(xml, "fa:Fa/fa:Platnosc/fa:DataZaplaty") == "2026-03-16"


rates = st.sampled_from(["23", "8", "5", "0", "oo", "np"])
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3)
discounts = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(quantities, amounts, rates, discounts), min_size=1, max_size=12))
def test_any_mix_of_lines_gives_valid_xml_whose_totals_add_up(
    rows: list[tuple[Decimal, Decimal, str, Decimal]],
) -> None:
    items = tuple(line(f"Pozycja {i}", str(q), str(p), r, discount=str(d)) for i, (q, p, r, d) in enumerate(rows))
    item = invoice(*items)
    xml = fa3_xml(item)

    fa3_validate(xml)
    assert Decimal(xml_text(xml, "fa:Fa/fa:P_15") or "") == sum(t.gross for t in item.totals)
    assert len(xml_all(xml, "fa:Fa/fa:FaWiersz")) == len(items)


def test_a_document_that_breaks_the_schema_is_reported_with_the_schema_complaint() -> None:
    from crm.ksef import Fa3ValidationError

    xml = fa3_xml(invoice())
    broken = xml.replace(b"<P_2>FV/2026/03/17</P_2>", b"")

    with pytest.raises(Fa3ValidationError, match="FA\\(3\\)") as failed:
        fa3_validate(broken)
    assert any("P_2" in error or "P_6" in error for error in failed.value.errors)


def test_something_that_is_not_xml_is_refused() -> None:
    from crm.ksef import Fa3ValidationError

    with pytest.raises(Fa3ValidationError):
        fa3_validate(b"<Faktura><oops")


def test_replace_keeps_the_invoice_valid_for_another_number() -> None:
    xml = fa3_xml(replace(invoice(), number="FV/2026/03/18"))

    assert xml_text(xml, "fa:Fa/fa:P_2") == "FV/2026/03/18"
