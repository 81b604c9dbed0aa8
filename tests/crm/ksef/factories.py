"""Invoices for the KSeF tests: a seller, buyers of each kind, lines with their net values
and per-rate totals computed by the product (`crm.documents.totals`: VAT per rate on the
sum of the rate's net values, rounded half up to grosze)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from lxml import etree

from crm.documents.totals import RATE_ORDER, LineIn, document_totals, line_net
from crm.documents.totals import RateTotal as ProductRateTotal
from crm.ksef import Address, Buyer, Fa3Invoice, InvoiceKind, Line, Payment, PaymentMethod, RateTotal, Seller
from crm.ksef.validation import FA3_NAMESPACE
from tests.support.fake_ksef import DEFAULT_NIP

NS = {"fa": FA3_NAMESPACE}


def seller(**fields: Any) -> Seller:
    defaults: dict[str, Any] = {
        "nip": DEFAULT_NIP,
        "name": "Piekarnia Żytnia Sp. z o.o.",
        "address": Address("ul. Długa 5/7", "00-950 Warszawa"),
        "email": "biuro@zytnia.pl",
        "phone": "+48 22 123 45 67",
    }
    return Seller(**(defaults | fields))


def company_buyer(**fields: Any) -> Buyer:
    defaults: dict[str, Any] = {
        "name": "Hurtownia Łęczyca S.A.",
        "nip": "7740001454",
        "address": Address("ul. Krótka 1", "99-100 Łęczyca"),
    }
    return Buyer(**(defaults | fields))


def line(name: str, quantity: str, price: str, rate: str, *, discount: str = "0", **fields: Any) -> Line:
    """A line whose net value is the product's (`crm.documents.totals.line_net`)."""
    q, p, d = Decimal(quantity), Decimal(price), Decimal(discount)
    net = line_net(LineIn(quantity=q, net_price=p, vat_rate=_product_rate(rate), discount_percent=d))
    return Line(
        name=name, quantity=q, unit="szt.", net_price=p, vat_rate=rate, net_value=net, discount_percent=d, **fields
    )


def _product_rate(rate: str) -> str:
    """The product's rate code of an FA(3) one ("0 WDT" → "0", "np II" → "np"); unknown ones
    pass through (so fa3_xml is the one to refuse them)."""
    return rate.split()[0] if rate.split()[0] in RATE_ORDER else rate


def totals(lines: tuple[Line, ...], before: tuple[Line, ...] = ()) -> tuple[RateTotal, ...]:
    """Per-rate totals by the product's `document_totals`; for a correction the differences
    after − before (each side computed as its own invoice shows it)."""

    def by_rate(items: tuple[Line, ...]) -> dict[str, ProductRateTotal]:
        found = document_totals(
            LineIn(
                quantity=i.quantity,
                net_price=i.net_price,
                vat_rate=_product_rate(i.vat_rate),
                discount_percent=i.discount_percent,
            )
            for i in items
        )
        return {r.vat_rate: r for r in found.by_rate}

    precise = {_product_rate(i.vat_rate): i.vat_rate for i in (*before, *lines)}
    after_rates, before_rates = by_rate(lines), by_rate(before)
    zero = ProductRateTotal(vat_rate="", net=Decimal(0), vat=Decimal(0), gross=Decimal(0))
    result = []
    for code in RATE_ORDER:
        if code in after_rates or code in before_rates:
            a, b = after_rates.get(code, zero), before_rates.get(code, zero)
            result.append(
                RateTotal(vat_rate=precise[code], net=a.net - b.net, vat=a.vat - b.vat, gross=a.gross - b.gross)
            )
    return tuple(result)


def invoice(*lines_: Line, **fields: Any) -> Fa3Invoice:
    items = lines_ or (line("Chleb żytni", "10", "8.50", "5"),)
    defaults: dict[str, Any] = {
        "kind": InvoiceKind.VAT,
        "number": "FV/2026/03/17",
        "issue_date": date(2026, 3, 16),
        "sale_date": date(2026, 3, 14),
        "place_of_issue": "Warszawa",
        "seller": seller(),
        "buyer": company_buyer(),
        "lines": items,
        "payment": Payment(
            due_date=date(2026, 3, 30),
            method=PaymentMethod.TRANSFER,
            bank_account="PL61 1090 1014 0000 0712 1981 2874",
            bank_name="Bank Testowy",
        ),
    }
    if "totals" not in fields:
        defaults["totals"] = totals(items)
    return Fa3Invoice(**(defaults | fields))


def renumbered(item: Fa3Invoice, number: str) -> Fa3Invoice:
    return replace(item, number=number)


def xml_text(xml: bytes, path: str) -> str | None:
    """The text at an XPath (FA(3) namespace as `fa:`), e.g. "fa:Fa/fa:P_13_1"."""
    return etree.fromstring(xml).findtext(path, namespaces=NS)


def xml_all(xml: bytes, path: str) -> list[str]:
    return [e.text or "" for e in etree.fromstring(xml).findall(path, namespaces=NS)]
