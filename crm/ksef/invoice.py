"""The input of `fa3_xml`: an invoice described with plain, typed values, independent of
the models that store invoices (they map themselves onto these).

Amounts are `Decimal`s in the invoice's currency; the per-rate totals are the caller's
(computed the Polish way: VAT per rate on the sum of the rate's net values, see
`crm.documents.totals`); `fa3_xml` checks they agree with the lines and writes them as
FA(3)'s P_13_x / P_14_x. For a foreign currency the VAT of each rate is also given in
PLN (P_14_xW): `RateTotal.vat_pln`, or the VAT times `exchange_rate` rounded to grosze.

VAT rates are the product's codes `23`, `8`, `5`, `0`, `zw`, `np`, `oo`; where FA(3)
distinguishes more, the precise code may be given instead: `0 KR` (domestic 0%, what `0`
means), `0 WDT` (intra-Community supply), `0 EX` (export), `np I` (outside Poland, what
`np` means), `np II` (services of art. 100 ust. 1 pkt 4: the buyer settles the VAT, so
the invoice says "odwrotne obciążenie").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum


class InvoiceKind(StrEnum):
    VAT = "vat"
    CORRECTION = "correction"
    PROFORMA = "proforma"  # never sent to KSeF: fa3_xml refuses it


class PaymentMethod(StrEnum):
    """Payment methods (the product's codes); `code` is FA(3)'s FormaPlatnosci, None for
    the ones FA(3) writes as "another method" with a description (PlatnoscInna)."""

    CASH = "cash"
    CARD = "card"
    VOUCHER = "voucher"
    CHEQUE = "cheque"
    CREDIT = "credit"
    TRANSFER = "transfer"
    MOBILE = "mobile"
    COMPENSATION = "compensation"
    OTHER = "other"

    @property
    def code(self) -> int | None:
        return _PAYMENT_CODES.get(self)


_PAYMENT_CODES = {
    PaymentMethod.CASH: 1,
    PaymentMethod.CARD: 2,
    PaymentMethod.VOUCHER: 3,
    PaymentMethod.CHEQUE: 4,
    PaymentMethod.CREDIT: 5,
    PaymentMethod.TRANSFER: 6,
    PaymentMethod.MOBILE: 7,
}


class ExemptionBasis(StrEnum):
    """Where the legal basis of a VAT exemption comes from (FA(3) P_19A / P_19B / P_19C)."""

    ACT = "act"  # a provision of the VAT act or a regulation under it, e.g. "art. 43 ust. 1 pkt 37 ustawy o VAT"
    DIRECTIVE = "directive"  # a provision of directive 2006/112/WE
    OTHER = "other"  # another legal basis


class CorrectionEffect(IntEnum):
    """FA(3) TypKorekty: when the correction counts in the VAT records."""

    ORIGINAL_DATE = 1  # in the period of the corrected invoice
    CORRECTION_DATE = 2  # in the period of the correction
    OTHER_DATE = 3


@dataclass(frozen=True)
class Address:
    """A postal address as FA(3) holds it: two free lines and the ISO country code
    (e.g. line1 "ul. Długa 5/7", line2 "00-950 Warszawa")."""

    line1: str
    line2: str = ""
    country: str = "PL"


@dataclass(frozen=True)
class Seller:
    nip: str  # 10 digits; "PL", spaces and dashes are ignored
    name: str
    address: Address
    email: str = ""
    phone: str = ""  # written only when it fits FA(3)'s 16 characters


@dataclass(frozen=True)
class Buyer:
    """The buyer: a Polish taxpayer (`nip`), a foreign one (`tax_id` with its
    `tax_id_country`: an EU VAT number becomes KodUE/NrVatUE, another id NrID), or a
    consumer with neither (BrakID)."""

    name: str
    address: Address | None = None
    nip: str = ""
    tax_id: str = ""
    tax_id_country: str = ""
    email: str = ""
    phone: str = ""
    customer_number: str = ""


@dataclass(frozen=True)
class Line:
    """One invoice line. `net_value` is quantity × net price less the discount, rounded to
    grosze (`crm.documents.totals.line_net`); FA(3) P_10 gets the discount as an amount."""

    name: str
    quantity: Decimal
    unit: str
    net_price: Decimal
    vat_rate: str
    net_value: Decimal
    discount_percent: Decimal = Decimal(0)
    gtu: str = ""  # "GTU_01".."GTU_13" (or "01".."13")
    pkwiu: str = ""
    annex15: bool = False  # goods/services of załącznik nr 15 (the split-payment list)


@dataclass(frozen=True)
class RateTotal:
    """One VAT rate's totals in the invoice currency (a correction: the difference)."""

    vat_rate: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_pln: Decimal | None = None  # foreign currency only; default vat × exchange_rate


@dataclass(frozen=True)
class Payment:
    due_date: date | None = None
    method: PaymentMethod | None = None
    bank_account: str = ""  # IBAN or NRB; spaces ignored
    bank_name: str = ""
    swift: str = ""
    paid_on: date | None = None  # the invoice is marked paid on that day
    method_description: str = ""  # for COMPENSATION / OTHER; default "Kompensata" / "Inna"


@dataclass(frozen=True)
class Exemption:
    """The legal basis of the `zw` lines (FA(3) P_19 with P_19A/B/C)."""

    basis: str
    kind: ExemptionBasis = ExemptionBasis.ACT


@dataclass(frozen=True)
class Correction:
    """What a correction invoice corrects. Its `Fa3Invoice.lines` are the lines after the
    correction when `lines_before` holds them as they were (FA(3) writes those with
    StanPrzed), or the differences (negative for a decrease) when `lines_before` is empty.
    The invoice's totals are always the differences, per rate."""

    reason: str
    corrected_number: str
    corrected_issue_date: date
    corrected_ksef_number: str = ""  # empty: the corrected invoice is not in KSeF
    effect: CorrectionEffect | None = None
    lines_before: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Fa3Invoice:
    kind: InvoiceKind
    number: str
    issue_date: date
    seller: Seller
    buyer: Buyer
    lines: tuple[Line, ...]
    totals: tuple[RateTotal, ...]
    sale_date: date | None = None  # written (P_6) when it differs from the issue date
    place_of_issue: str = ""
    currency: str = "PLN"
    exchange_rate: Decimal | None = None  # PLN per unit of `currency`; required for non-PLN
    exchange_rate_note: str = ""  # e.g. "Tabela NBP nr 052/A/NBP/2026 z 13.03.2026"
    payment: Payment | None = None
    split_payment: bool = False  # "mechanizm podzielonej płatności" (P_18A)
    cash_accounting: bool = False  # "metoda kasowa" (P_16)
    exemption: Exemption | None = None
    correction: Correction | None = None
    footer: str = ""
    created_at: datetime | None = None  # DataWytworzeniaFa; default: now
    system_info: str = "ImCRM"
    notes: tuple[tuple[str, str], ...] = field(default=())  # extra key/value lines (DodatkowyOpis)
