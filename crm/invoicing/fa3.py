"""An issued invoice as KSeF's FA(3) XML: the invoice's frozen data mapped onto
`crm.ksef.Fa3Invoice` and written (and validated against the official schema) by
`crm.ksef.fa3_xml`.

The XML is a function of the issued invoice alone: the creation time written into it
(DataWytworzeniaFa) is the moment of issue, so the document downloaded later is byte for
byte the one sent to KSeF (the KSeF verification link hashes those bytes).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from crm.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from crm.invoicing.services.common import InvoiceStateError, invoice_lines, invoice_totals
from crm.ksef import (
    Address,
    Buyer,
    Correction,
    Exemption,
    ExemptionBasis,
    Fa3Error,
    Fa3Invoice,
    Line,
    Payment,
    PaymentMethod,
    RateTotal,
    Seller,
    fa3_xml,
)
from crm.ksef import InvoiceKind as Fa3Kind

# Country names as people type them (Polish and English) -> ISO 3166 codes.
COUNTRIES = {
    "polska": "PL", "poland": "PL", "niemcy": "DE", "germany": "DE", "czechy": "CZ", "czech republic": "CZ",
    "czechia": "CZ", "słowacja": "SK", "slovakia": "SK", "litwa": "LT", "lithuania": "LT", "łotwa": "LV",
    "latvia": "LV", "estonia": "EE", "francja": "FR", "france": "FR", "hiszpania": "ES", "spain": "ES",
    "włochy": "IT", "italy": "IT", "holandia": "NL", "niderlandy": "NL", "netherlands": "NL", "belgia": "BE",
    "belgium": "BE", "austria": "AT", "węgry": "HU", "hungary": "HU", "szwecja": "SE", "sweden": "SE",
    "dania": "DK", "denmark": "DK", "finlandia": "FI", "finland": "FI", "irlandia": "IE", "ireland": "IE",
    "portugalia": "PT", "portugal": "PT", "rumunia": "RO", "romania": "RO", "bułgaria": "BG", "bulgaria": "BG",
    "chorwacja": "HR", "croatia": "HR", "słowenia": "SI", "slovenia": "SI", "grecja": "GR", "greece": "GR",
    "cypr": "CY", "cyprus": "CY", "malta": "MT", "luksemburg": "LU", "luxembourg": "LU",
    "wielka brytania": "GB", "united kingdom": "GB", "ukraina": "UA", "ukraine": "UA", "norwegia": "NO",
    "norway": "NO", "szwajcaria": "CH", "switzerland": "CH", "stany zjednoczone": "US", "usa": "US",
    "united states": "US",
}  # fmt: skip


def country_code(name: str) -> str:
    """ "Polska" -> "PL", "de" -> "DE", "" -> "PL" (the product's default country); a name
    it does not know: Fa3Error asking for the two-letter code."""
    text = (name or "").strip()
    if not text:
        return "PL"
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    code = COUNTRIES.get(text.lower())
    if code is None:
        raise Fa3Error(
            _("Nie znam kraju „%(country)s”: wpisz w danych kraju dwuliterowy kod, np. DE.") % {"country": text},
            field="country",
        )
    return code


def _address(party: dict[str, Any]) -> Address:
    town = " ".join(part for part in (party.get("postal_code", ""), party.get("city", "")) if part)
    line1 = party.get("street", "") or town or party.get("name", "")
    return Address(line1=line1, line2=town if line1 != town else "", country=country_code(party.get("country", "")))


def _buyer(party: dict[str, Any]) -> Buyer:
    tax_id = re.sub(r"[\s.-]", "", party.get("tax_id", "") or "").upper()
    nip, foreign, country = "", "", ""
    if re.fullmatch(r"(PL)?\d{10}", tax_id):
        nip = tax_id.removeprefix("PL")
    elif tax_id:
        match = re.fullmatch(r"([A-Z]{2})(.+)", tax_id)
        country, foreign = (match.group(1), match.group(2)) if match else ("", tax_id)
    return Buyer(
        name=party.get("name", ""),
        address=_address(party),
        nip=nip,
        tax_id=foreign,
        tax_id_country=country,
        email=party.get("email", ""),
        phone=party.get("phone", ""),
    )


def _line(line: InvoiceLine) -> Line:
    return Line(
        name=line.name,
        quantity=line.quantity,
        unit=line.unit,
        net_price=line.net_price,
        vat_rate=line.vat_rate,
        net_value=line.net_value,
        discount_percent=line.discount_percent,
        gtu=line.gtu,
        pkwiu=line.pkwiu,
        annex15=line.annex15,
    )


def _exemption(basis: str) -> Exemption | None:
    if not basis.strip():
        return None
    text = basis.lower()
    kind = (
        ExemptionBasis.DIRECTIVE
        if "dyrektyw" in text
        else ExemptionBasis.ACT
        if "ustaw" in text
        else ExemptionBasis.OTHER
    )
    return Exemption(basis=basis.strip(), kind=kind)


def invoice_fa3(invoice: Invoice) -> Fa3Invoice:
    """The typed FA(3) description of an issued VAT invoice or correction."""
    if invoice.status == InvoiceStatus.DRAFT or not invoice.number:
        raise InvoiceStateError(_("Szkic nie ma jeszcze dokumentu KSeF: najpierw wystaw fakturę."))
    seller = invoice.seller
    correction = None
    if invoice.kind == InvoiceKind.CORRECTION and invoice.corrects is not None:
        original = invoice.corrects
        correction = Correction(
            reason=invoice.correction_reason,
            corrected_number=original.number,
            corrected_issue_date=original.issue_date,
            corrected_ksef_number=original.ksef_number,
            lines_before=tuple(_line(line) for line in invoice_lines(invoice, before=True)),
        )
    rate_note = ""
    if invoice.currency != "PLN" and invoice.exchange_rate_table and invoice.exchange_rate_date:
        rate_note = f"Tabela NBP nr {invoice.exchange_rate_table} z {invoice.exchange_rate_date:%d.%m.%Y}"
    totals = invoice_totals(invoice)
    return Fa3Invoice(
        kind=Fa3Kind(invoice.kind),
        number=invoice.number,
        issue_date=invoice.issue_date,
        seller=Seller(
            nip=seller.get("tax_id", ""),
            name=seller.get("name", ""),
            address=_address(seller),
            email=seller.get("email", ""),
            phone=seller.get("phone", ""),
        ),
        buyer=_buyer(invoice.buyer),
        lines=tuple(_line(line) for line in invoice_lines(invoice)),
        totals=tuple(RateTotal(vat_rate=r.vat_rate, net=r.net, vat=r.vat, gross=r.gross) for r in totals.by_rate),
        sale_date=invoice.sale_date,
        place_of_issue=invoice.place_of_issue,
        currency=invoice.currency,
        exchange_rate=invoice.exchange_rate if invoice.currency != "PLN" else None,
        exchange_rate_note=rate_note,
        payment=Payment(
            due_date=invoice.due_date,
            method=PaymentMethod(invoice.payment_method),
            bank_account=seller.get("bank_account", ""),
        ),
        split_payment=invoice.split_payment,
        exemption=_exemption(invoice.exemption_basis),
        correction=correction,
        created_at=invoice.issued_at,
        notes=((("Uwagi", invoice.notes[:3500]),) if invoice.notes.strip() else ()),
    )


def invoice_xml(invoice: Invoice) -> bytes:
    """The FA(3) XML of an issued VAT invoice or correction, validated. A draft:
    InvoiceStateError; a pro-forma: Fa3ProformaRefused; data FA(3) cannot carry: Fa3Error."""
    return fa3_xml(invoice_fa3(invoice))
