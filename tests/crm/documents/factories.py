"""Printable documents for the PDF tests: a 10-line VAT invoice between two Polish
companies, changed per test with `dataclasses.replace` or the keyword overrides."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from pypdf import PdfReader

from crm.documents.printable import DocumentKind, Party, PrintableDocument, PrintableLine, printable_line
from crm.documents.totals import LineIn, Totals, document_totals

SELLER = Party(
    name="Żółta Łódź Sp. z o.o.",
    tax_id="5260250274",
    address=("ul. Świętokrzyska 12", "00-916 Warszawa"),
    bank_account="PL61 1090 1014 0000 0712 1981 2874",
)
BUYER = Party(
    name="Gęśla Jaźń S.A.",
    tax_id="7740001454",
    address=("ul. Źródlana 5/7", "90-001 Łódź", "Polska"),
)


def lines_make(
    count: int = 10, *, rates: tuple[str, ...] = ("23",), price: str = "1234.50"
) -> tuple[PrintableLine, ...]:
    return tuple(
        printable_line(
            number=i + 1,
            name=f"Usługa wdrożeniowa {i + 1}",
            quantity=Decimal(i + 1),
            unit="godz.",
            net_price=Decimal(price),
            vat_rate=rates[i % len(rates)],
        )
        for i in range(count)
    )


def totals_of(lines: tuple[PrintableLine, ...]) -> Totals:
    return document_totals(
        LineIn(quantity=x.quantity, net_price=x.net_price, vat_rate=x.vat_rate, discount_percent=x.discount_percent)
        for x in lines
    )


def invoice_make(*, lines: tuple[PrintableLine, ...] | None = None, **overrides: Any) -> PrintableDocument:
    lines = lines if lines is not None else lines_make()
    doc = PrintableDocument(
        kind=DocumentKind.VAT,
        number="FV/2026/12/7",
        issue_date=date(2026, 12, 3),
        sale_date=date(2026, 12, 2),
        due_date=date(2026, 12, 17),
        place_of_issue="Warszawa",
        seller=SELLER,
        buyer=BUYER,
        lines=lines,
        totals=totals_of(lines),
        payment_method="przelew",
    )
    return replace(doc, **overrides)


def pdf_text(pdf: bytes) -> str:
    """All pages' text, non-breaking spaces read as spaces, lines joined by spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").split())


def pdf_images(pdf: bytes) -> list[Any]:
    reader = PdfReader(io.BytesIO(pdf))
    return [image for page in reader.pages for image in page.images]
