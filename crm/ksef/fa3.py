"""An invoice (`crm.ksef.invoice.Fa3Invoice`) as the structured FA(3) XML that KSeF takes.

`fa3_xml` checks what the schema cannot (a pro-forma is refused, `zw` needs its legal
basis, a foreign currency its exchange rate, the per-rate totals must agree with the lines),
writes the document in the schema's order and validates it against the official schema
before returning it: nothing that does not validate leaves this module.

Field map (FA(3) names): P_1 issue date, P_1M place of issue, P_2 number, P_6 sale date,
P_13_x/P_14_x net and VAT per rate (P_14_xW: VAT in PLN for a foreign currency), P_15
gross, Adnotacje (P_16 cash accounting, P_18 reverse charge, P_18A split payment, P_19
exemption and its basis), FaWiersz lines (P_7 name, P_8A unit, P_8B quantity, P_9A net
price, P_10 discount, P_11 net value, P_12 rate, GTU, PKWiU, KursWaluty, StanPrzed),
Platnosc (due date, method, bank account).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from lxml import etree

from crm.ksef.errors import Fa3Error, Fa3ProformaRefused
from crm.ksef.invoice import (
    Address,
    ExemptionBasis,
    Fa3Invoice,
    InvoiceKind,
    Line,
    Payment,
    PaymentMethod,
    RateTotal,
)
from crm.ksef.validation import FA3_NAMESPACE, fa3_validate

GROSZ = Decimal("0.01")
ZERO = Decimal(0)

# The product's rate codes → FA(3) P_12 values (the precise codes map to themselves).
_RATE_ALIASES = {"0": "0 KR", "np": "np I"}
# FA(3) rate → (P_13 field, P_14 field or None, P_14_W field or None), in the schema's order.
_RATE_FIELDS: dict[str, tuple[str, str | None, str | None]] = {
    "23": ("P_13_1", "P_14_1", "P_14_1W"),
    "8": ("P_13_2", "P_14_2", "P_14_2W"),
    "5": ("P_13_3", "P_14_3", "P_14_3W"),
    "0 KR": ("P_13_6_1", None, None),
    "0 WDT": ("P_13_6_2", None, None),
    "0 EX": ("P_13_6_3", None, None),
    "zw": ("P_13_7", None, None),
    "np I": ("P_13_8", None, None),
    "np II": ("P_13_9", None, None),
    "oo": ("P_13_10", None, None),
}
_REVERSE_CHARGE = {"oo", "np II"}  # the buyer settles the VAT: "odwrotne obciążenie" (P_18)
# FA(3) TKodyKrajowUE (Greece is EL there, GR in ISO); PL is not foreign.
_EU = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HR", "HU", "IE"}
    | {"IT", "LV", "LT", "LU", "MT", "NL", "PT", "RO", "SK", "SI", "ES", "SE", "XI"}
)
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def fa3_rate(vat_rate: str) -> str:
    """FA(3)'s P_12 code for a product rate code (`0` → `0 KR`, `np` → `np I`)."""
    code = _RATE_ALIASES.get(vat_rate, vat_rate)
    if code not in _RATE_FIELDS:
        raise Fa3Error(_("Nieznana stawka VAT: %(rate)s.") % {"rate": vat_rate}, field="vat_rate")
    return code


def fa3_xml(invoice: Fa3Invoice) -> bytes:
    """The invoice as FA(3) XML (UTF-8), validated against the official schema.

    Raises `Fa3ProformaRefused` for a pro-forma, `Fa3Error` for data FA(3) cannot carry
    and `Fa3ValidationError` if the result still failed the schema (a bug, never sent)."""
    _check(invoice)
    root = etree.Element(_q("Faktura"), nsmap={None: FA3_NAMESPACE})
    _header(root, invoice)
    _seller(root, invoice)
    _buyer(root, invoice)
    _fa(root, invoice)
    if invoice.footer:
        _sub(_sub(_sub(root, "Stopka"), "Informacje"), "StopkaFaktury", invoice.footer)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    fa3_validate(xml)
    return xml


# --- checks -------------------------------------------------------------------------


def _check(invoice: Fa3Invoice) -> None:
    if invoice.kind == InvoiceKind.PROFORMA:
        raise Fa3ProformaRefused(_("Faktura pro forma nie jest fakturą VAT i nie jest wysyłana do KSeF."), field="kind")
    if invoice.kind == InvoiceKind.CORRECTION and invoice.correction is None:
        raise Fa3Error(_("Faktura korygująca musi wskazywać korygowaną fakturę i przyczynę korekty."), field="corrects")
    if invoice.kind == InvoiceKind.VAT and invoice.correction is not None:
        raise Fa3Error(_("Dane korekty ma tylko faktura korygująca."), field="kind")
    if invoice.correction is not None and not invoice.correction.reason.strip():
        raise Fa3Error(_("Podaj przyczynę korekty."), field="reason")
    if not invoice.number.strip():
        raise Fa3Error(_("Faktura bez numeru nie może trafić do KSeF: najpierw ją wystaw."), field="number")
    if invoice.kind == InvoiceKind.VAT and not invoice.lines:
        raise Fa3Error(_("Faktura nie ma pozycji."), field="lines")
    _nip(invoice.seller.nip, field="seller")
    if invoice.buyer.nip:
        _nip(invoice.buyer.nip, field="buyer")
    if not re.fullmatch(r"[A-Z]{3}", invoice.currency):
        raise Fa3Error(_("Nieznana waluta: %(currency)s.") % {"currency": invoice.currency}, field="currency")
    if invoice.currency != "PLN" and (invoice.exchange_rate is None or invoice.exchange_rate <= 0):
        raise Fa3Error(_("Faktura w walucie obcej wymaga kursu waluty."), field="exchange_rate")
    all_lines = (*invoice.lines, *(invoice.correction.lines_before if invoice.correction else ()))
    rates = {fa3_rate(line.vat_rate) for line in all_lines}
    if "zw" in rates and (invoice.exemption is None or not invoice.exemption.basis.strip()):
        raise Fa3Error(_("Sprzedaż zwolniona z VAT (zw) wymaga podstawy prawnej zwolnienia."), field="exemption")
    _check_totals(invoice)


def _check_totals(invoice: Fa3Invoice) -> None:
    """The per-rate nets must be the lines' (after − before for a correction), and each
    rate's gross its net plus VAT: a mismatch is a bug in the caller, not a rounding."""
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for line in invoice.lines:
        expected[fa3_rate(line.vat_rate)] += line.net_value
    for line in invoice.correction.lines_before if invoice.correction else ():
        expected[fa3_rate(line.vat_rate)] -= line.net_value
    given: dict[str, RateTotal] = {}
    for total in invoice.totals:
        code = fa3_rate(total.vat_rate)
        if code in given:
            raise Fa3Error(_("Stawka %(rate)s występuje w sumach dwa razy.") % {"rate": code}, field="totals")
        given[code] = total
        if total.gross != total.net + total.vat or (_RATE_FIELDS[code][1] is None and total.vat != 0):
            raise Fa3Error(_("Sumy stawki %(rate)s są niespójne.") % {"rate": code}, field="totals")
    for code in expected.keys() | given.keys():
        net = given[code].net if code in given else ZERO
        if net != expected.get(code, ZERO):
            raise Fa3Error(
                _("Suma netto stawki %(rate)s (%(given)s) nie zgadza się z pozycjami faktury (%(expected)s).")
                % {"rate": code, "given": net, "expected": expected.get(code, ZERO)},
                field="totals",
            )


def _nip(value: str, *, field: str) -> str:
    digits = re.sub(r"[\s-]", "", value).upper().removeprefix("PL")
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    if not re.fullmatch(r"[1-9]((\d[1-9])|([1-9]\d))\d{7}", digits) or sum(  # FA(3)'s TNIP pattern
        int(d) * w for d, w in zip(digits, weights, strict=False)
    ) % 11 != int(digits[9]):
        raise Fa3Error(_("Nieprawidłowy NIP: %(nip)s.") % {"nip": value}, field=field)
    return digits


# --- writing ------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{FA3_NAMESPACE}}}{name}"


def _sub(parent: etree._Element, name: str, text: object = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = _NOT_XML.sub("", str(text)).strip() if isinstance(text, str) else str(text)
    return element


def _amount(value: Decimal) -> str:
    value = value.quantize(GROSZ, rounding=ROUND_HALF_UP)
    return f"{value + 0:f}"  # + 0 turns -0.00 into 0.00


def _number(value: Decimal, places: int) -> str:
    """Up to `places` decimals, at least the grosze for readability, never an exponent."""
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize() + 0
    if value == value.quantize(GROSZ):
        value = value.quantize(GROSZ)
    return f"{value:f}"


def _quantity(value: Decimal) -> str:
    """Up to 6 decimals (FA(3) TIlosci), trailing zeros dropped, never an exponent."""
    return f"{value.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP).normalize() + 0:f}"


def _address(parent: etree._Element, name: str, address: Address) -> None:
    element = _sub(parent, name)
    _sub(element, "KodKraju", address.country.upper() or "PL")
    _sub(element, "AdresL1", address.line1)
    if address.line2.strip():
        _sub(element, "AdresL2", address.line2)


def _contact(parent: etree._Element, email: str, phone: str) -> None:
    phone = re.sub(r"\s", "", phone)
    email = email.strip()
    has_email = bool(re.fullmatch(r".+@.+", email)) and 3 <= len(email) <= 255
    has_phone = 0 < len(phone) <= 16
    if has_email or has_phone:
        contact = _sub(parent, "DaneKontaktowe")
        if has_email:
            _sub(contact, "Email", email)
        if has_phone:
            _sub(contact, "Telefon", phone)


def _header(root: etree._Element, invoice: Fa3Invoice) -> None:
    header = _sub(root, "Naglowek")
    form = _sub(header, "KodFormularza", "FA")
    form.set("kodSystemowy", "FA (3)")
    form.set("wersjaSchemy", "1-0E")
    _sub(header, "WariantFormularza", "3")
    created = (invoice.created_at or datetime.now(UTC)).astimezone(UTC)
    _sub(header, "DataWytworzeniaFa", created.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if invoice.system_info:
        _sub(header, "SystemInfo", invoice.system_info)


def _seller(root: etree._Element, invoice: Fa3Invoice) -> None:
    seller = invoice.seller
    element = _sub(root, "Podmiot1")
    if _buyer_eu_vat(invoice) is not None:
        _sub(element, "PrefiksPodatnika", "PL")
    ids = _sub(element, "DaneIdentyfikacyjne")
    _sub(ids, "NIP", _nip(seller.nip, field="seller"))
    _sub(ids, "Nazwa", seller.name)
    _address(element, "Adres", seller.address)
    _contact(element, seller.email, seller.phone)


def _buyer_eu_vat(invoice: Fa3Invoice) -> tuple[str, str] | None:
    """(KodUE, NrVatUE) when the buyer is identified by an EU VAT number other than Polish."""
    buyer = invoice.buyer
    if buyer.nip or not buyer.tax_id.strip():
        return None
    country = (buyer.tax_id_country or (buyer.address.country if buyer.address else "")).upper()
    country = "EL" if country == "GR" else country
    number = re.sub(r"[\s.-]", "", buyer.tax_id).upper().removeprefix(country)
    if country in _EU and re.fullmatch(r"[0-9A-Z+*]{1,12}", number):
        return country, number
    return None


def _buyer(root: etree._Element, invoice: Fa3Invoice) -> None:
    buyer = invoice.buyer
    element = _sub(root, "Podmiot2")
    ids = _sub(element, "DaneIdentyfikacyjne")
    eu_vat = _buyer_eu_vat(invoice)
    if buyer.nip:
        _sub(ids, "NIP", _nip(buyer.nip, field="buyer"))
    elif eu_vat is not None:
        _sub(ids, "KodUE", eu_vat[0])
        _sub(ids, "NrVatUE", eu_vat[1])
    elif buyer.tax_id.strip():
        country = buyer.tax_id_country.upper()
        if re.fullmatch(r"[A-Z]{2}", country):
            _sub(ids, "KodKraju", country)
        _sub(ids, "NrID", buyer.tax_id.strip())
    else:
        _sub(ids, "BrakID", "1")  # a consumer
    _sub(ids, "Nazwa", buyer.name)
    if buyer.address is not None:
        _address(element, "Adres", buyer.address)
    _contact(element, buyer.email, buyer.phone)
    if buyer.customer_number:
        _sub(element, "NrKlienta", buyer.customer_number)
    _sub(element, "JST", "2")
    _sub(element, "GV", "2")


def _fa(root: etree._Element, invoice: Fa3Invoice) -> None:
    fa = _sub(root, "Fa")
    _sub(fa, "KodWaluty", invoice.currency)
    _sub(fa, "P_1", invoice.issue_date.isoformat())
    if invoice.place_of_issue.strip():
        _sub(fa, "P_1M", invoice.place_of_issue)
    _sub(fa, "P_2", invoice.number)
    if invoice.sale_date is not None and invoice.sale_date != invoice.issue_date:
        _sub(fa, "P_6", invoice.sale_date.isoformat())
    _rate_totals(fa, invoice)
    _sub(fa, "P_15", _amount(sum((t.gross for t in invoice.totals), ZERO)))
    _annotations(fa, invoice)
    _sub(fa, "RodzajFaktury", "KOR" if invoice.kind == InvoiceKind.CORRECTION else "VAT")
    if invoice.correction is not None:
        _correction(fa, invoice)
    notes = list(invoice.notes)
    if invoice.currency != "PLN" and invoice.exchange_rate_note.strip():
        notes.insert(0, ("Kurs waluty", invoice.exchange_rate_note))
    for key, value in notes:
        note = _sub(fa, "DodatkowyOpis")
        _sub(note, "Klucz", key)
        _sub(note, "Wartosc", value)
    before = invoice.correction.lines_before if invoice.correction else ()
    for number, (line, was) in enumerate(
        [*((line, True) for line in before), *((line, False) for line in invoice.lines)], start=1
    ):
        _line(fa, number, line, invoice, before=was)
    if invoice.payment is not None:
        _payment(fa, invoice.payment)


def _rate_totals(fa: etree._Element, invoice: Fa3Invoice) -> None:
    by_code = {fa3_rate(t.vat_rate): t for t in invoice.totals}
    foreign = invoice.currency != "PLN"
    for code, (p13, p14, p14w) in _RATE_FIELDS.items():
        total = by_code.get(code)
        if total is None:
            continue
        _sub(fa, p13, _amount(total.net))
        if p14 is not None:
            _sub(fa, p14, _amount(total.vat))
            if foreign and p14w is not None:
                assert invoice.exchange_rate is not None  # _check
                vat_pln = total.vat_pln if total.vat_pln is not None else total.vat * invoice.exchange_rate
                _sub(fa, p14w, _amount(vat_pln))


def _annotations(fa: etree._Element, invoice: Fa3Invoice) -> None:
    lines: Iterable[Line] = (*invoice.lines, *(invoice.correction.lines_before if invoice.correction else ()))
    rates = {fa3_rate(line.vat_rate) for line in lines}
    notes = _sub(fa, "Adnotacje")
    _sub(notes, "P_16", "1" if invoice.cash_accounting else "2")
    _sub(notes, "P_17", "2")  # self-billing: not issued by this product
    _sub(notes, "P_18", "1" if rates & _REVERSE_CHARGE else "2")
    _sub(notes, "P_18A", "1" if invoice.split_payment else "2")
    exemption = _sub(notes, "Zwolnienie")
    if "zw" in rates:
        assert invoice.exemption is not None  # _check
        _sub(exemption, "P_19", "1")
        field = {ExemptionBasis.ACT: "P_19A", ExemptionBasis.DIRECTIVE: "P_19B", ExemptionBasis.OTHER: "P_19C"}
        _sub(exemption, field[invoice.exemption.kind], invoice.exemption.basis)
    else:
        _sub(exemption, "P_19N", "1")
    _sub(_sub(notes, "NoweSrodkiTransportu"), "P_22N", "1")
    _sub(notes, "P_23", "2")
    _sub(_sub(notes, "PMarzy"), "P_PMarzyN", "1")


def _correction(fa: etree._Element, invoice: Fa3Invoice) -> None:
    correction = invoice.correction
    assert correction is not None
    _sub(fa, "PrzyczynaKorekty", correction.reason)
    if correction.effect is not None:
        _sub(fa, "TypKorekty", str(int(correction.effect)))
    corrected = _sub(fa, "DaneFaKorygowanej")
    _sub(corrected, "DataWystFaKorygowanej", correction.corrected_issue_date.isoformat())
    _sub(corrected, "NrFaKorygowanej", correction.corrected_number)
    if correction.corrected_ksef_number.strip():
        _sub(corrected, "NrKSeF", "1")
        _sub(corrected, "NrKSeFFaKorygowanej", correction.corrected_ksef_number.strip())
    else:
        _sub(corrected, "NrKSeFN", "1")


def _line(fa: etree._Element, number: int, line: Line, invoice: Fa3Invoice, *, before: bool) -> None:
    row = _sub(fa, "FaWiersz")
    _sub(row, "NrWierszaFa", str(number))
    _sub(row, "P_7", line.name)
    if line.pkwiu.strip():
        _sub(row, "PKWiU", line.pkwiu)
    if line.unit.strip():
        _sub(row, "P_8A", line.unit)
    _sub(row, "P_8B", _quantity(line.quantity))
    _sub(row, "P_9A", _number(line.net_price, 8))
    if line.discount_percent:
        discount = (line.quantity * line.net_price).quantize(GROSZ, rounding=ROUND_HALF_UP) - line.net_value
        _sub(row, "P_10", _number(discount, 8))
    _sub(row, "P_11", _amount(line.net_value))
    _sub(row, "P_12", fa3_rate(line.vat_rate))
    if line.annex15:
        _sub(row, "P_12_Zal_15", "1")
    if line.gtu.strip():
        _sub(row, "GTU", _gtu(line.gtu))
    if invoice.currency != "PLN":
        assert invoice.exchange_rate is not None  # _check
        _sub(row, "KursWaluty", _quantity(invoice.exchange_rate))
    if before:
        _sub(row, "StanPrzed", "1")


def _gtu(value: str) -> str:
    """FA(3)'s GTU code from "GTU_01", "gtu_1", "01" or "1"."""
    match = re.fullmatch(r"(?:GTU_?)?0*(\d{1,2})", value.strip().upper())
    if match is None or not 1 <= int(match.group(1)) <= 13:
        raise Fa3Error(_("Nieznany kod GTU: %(gtu)s.") % {"gtu": value}, field="gtu")
    return f"GTU_{int(match.group(1)):02d}"


def _payment(fa: etree._Element, payment: Payment) -> None:
    element = etree.Element(_q("Platnosc"))
    if payment.paid_on is not None:
        _sub(element, "Zaplacono", "1")
        _sub(element, "DataZaplaty", payment.paid_on.isoformat())
    if payment.due_date is not None:
        _sub(_sub(element, "TerminPlatnosci"), "Termin", payment.due_date.isoformat())
    if payment.method is not None and payment.method.code is not None:
        _sub(element, "FormaPlatnosci", str(payment.method.code))
    elif payment.method is not None:
        _sub(element, "PlatnoscInna", "1")
        default = "Kompensata" if payment.method == PaymentMethod.COMPENSATION else "Inna"
        _sub(element, "OpisPlatnosci", payment.method_description.strip() or default)
    account = re.sub(r"\s", "", payment.bank_account)
    if account:
        bank = _sub(element, "RachunekBankowy")
        _sub(bank, "NrRB", account)
        if payment.swift.strip():
            _sub(bank, "SWIFT", payment.swift.strip().upper())
        if payment.bank_name.strip():
            _sub(bank, "NazwaBanku", payment.bank_name)
    if len(element):
        fa.append(element)
