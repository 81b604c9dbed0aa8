"""What a printed business document shows, as plain typed data: an offer, a pro-forma, a
VAT invoice or a correction. The PDF (`crm.documents.pdf.document_pdf`) is drawn from a
`PrintableDocument` alone, so it knows nothing of the models; the apps that own offers and
invoices build one from their rows (see `printable_line` and `Totals` from
`crm.documents.totals`).

Labels that come from choices (payment method) may be lazy translations: they are
evaluated while the PDF is drawn, in the document's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from django.utils.functional import Promise

from crm.documents.totals import RATE_ORDER, ZERO, LineIn, RateTotal, Totals, line_net, money, rate_vat

Label = str | Promise


class DocumentKind(StrEnum):
    OFFER = "offer"
    PROFORMA = "proforma"
    VAT = "vat"
    CORRECTION = "correction"


@dataclass(frozen=True)
class Party:
    """The seller or the buyer as the document names them."""

    name: str
    tax_id: str = ""  # NIP (or a foreign VAT number, with its country prefix)
    address: tuple[str, ...] = ()  # lines: street, "00-000 City", country
    bank_account: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PrintableLine:
    number: int
    name: str
    quantity: Decimal
    unit: str
    net_price: Decimal
    vat_rate: str  # one of crm.documents.totals.RATE_ORDER
    net_value: Decimal  # after the discount
    vat: Decimal  # the line's own VAT, for reading; the per-rate totals are what counts
    gross: Decimal
    discount_percent: Decimal = ZERO


@dataclass(frozen=True)
class ExchangeRate:
    """The rate of a foreign currency to PLN (NBP's mid rate of the last working day
    before the sale date) and where it comes from."""

    rate: Decimal
    date: date | None = None
    table: str = ""  # NBP table number, e.g. "231/A/NBP/2026"


@dataclass(frozen=True)
class Correction:
    """What a correction invoice corrects. The document's `lines`/`totals` are the state
    after the correction; `lines_before`/`totals_before` as on the corrected invoice."""

    corrected_number: str
    reason: str
    corrected_issue_date: date | None = None
    corrected_ksef_number: str = ""
    lines_before: tuple[PrintableLine, ...] = ()
    totals_before: Totals | None = None


@dataclass(frozen=True)
class PrintableDocument:
    kind: DocumentKind
    number: str  # empty for a draft
    issue_date: date
    seller: Party
    buyer: Party
    lines: tuple[PrintableLine, ...]
    totals: Totals
    currency: str = "PLN"
    sale_date: date | None = None
    due_date: date | None = None
    valid_until: date | None = None  # offers
    place_of_issue: str = ""
    exchange_rate: ExchangeRate | None = None  # required when currency is not PLN on a VAT invoice
    payment_method: Label = ""
    paid: Decimal = ZERO
    amount_in_words: str = ""  # empty: written from the amount in the document's language
    introduction_html: str = ""  # an offer's rich introduction; sanitised again before drawing
    notes: str = ""  # plain text, line breaks kept
    split_payment: bool = False  # "mechanizm podzielonej płatności"
    exemption_basis: str = ""  # legal basis of a "zw" (exempt) rate
    reverse_charge: bool = False  # "odwrotne obciążenie"; also shown when a line has the "oo" rate
    logo: bytes | Path | None = None  # PNG, JPEG, GIF, WebP or SVG
    ksef_number: str = ""
    ksef_url: str = ""  # the KSeF verification link, drawn as a QR code
    correction: Correction | None = None
    title: str = ""  # instead of the kind's title
    extra: tuple[tuple[str, str], ...] = ()  # more (label, value) rows under the dates: order number...


def printable_line(
    *,
    number: int,
    name: str,
    quantity: Decimal,
    unit: str,
    net_price: Decimal,
    vat_rate: str,
    discount_percent: Decimal = ZERO,
) -> PrintableLine:
    """A line with its net value (`line_net`, as the totals count it), its VAT and gross."""
    net = line_net(LineIn(quantity=quantity, net_price=net_price, vat_rate=vat_rate, discount_percent=discount_percent))
    vat = rate_vat(vat_rate, net)
    return PrintableLine(
        number=number,
        name=name,
        quantity=quantity,
        unit=unit,
        net_price=net_price,
        vat_rate=vat_rate,
        net_value=net,
        vat=vat,
        gross=net + vat,
        discount_percent=discount_percent,
    )


def totals_difference(after: Totals, before: Totals) -> Totals:
    """After minus before, per rate (a rate present on either side) and in total: what a
    correction changes."""
    rates = [r.vat_rate for r in before.by_rate] + [r.vat_rate for r in after.by_rate]
    by_rate = []
    for code in sorted(set(rates), key=RATE_ORDER.index):
        a, b = after.rate(code), before.rate(code)
        net = (a.net if a else ZERO) - (b.net if b else ZERO)
        vat = (a.vat if a else ZERO) - (b.vat if b else ZERO)
        by_rate.append(RateTotal(vat_rate=code, net=net, vat=vat, gross=net + vat))
    return Totals(
        by_rate=tuple(by_rate),
        net=money(after.net - before.net),
        vat=money(after.vat - before.vat),
        gross=money(after.gross - before.gross),
    )
