"""The invoice as a PDF (crm.documents.pdf.document_pdf): a VAT invoice, a pro-forma or a
correction (with the corrected invoice and its lines before and after), in Polish or
English, with the company's logo and, once KSeF gave the invoice its number, that number
and the verification QR code ("KOD I", crm.ksef.qr).

The parties are those frozen on the invoice at issue (`Invoice.seller`, `Invoice.buyer`);
a draft, which has none yet, shows the company's and the customer's current data and is
marked as a draft ("szkic") instead of a number: it may be previewed, as in Perfex.

The language: asked for (`?lang=en`), else the offer's the invoice was made from (the
language the customer reads), else the caller's (the page's language).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.http import HttpResponse
from django.utils import translation

from crm.common.errors import AppError
from crm.company.models import CompanySettings
from crm.documents.models import PaymentMethod
from crm.documents.pdf import document_pdf
from crm.documents.printable import (
    Correction,
    DocumentKind,
    ExchangeRate,
    Party,
    PrintableDocument,
    PrintableLine,
    printable_line,
)
from crm.documents.totals import document_totals
from crm.invoicing.fa3 import invoice_xml
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from crm.invoicing.services.common import invoice_lines
from crm.invoicing.services.snapshots import address_lines, buyer_snapshot, seller_snapshot
from crm.ksef import KsefEnvironment, ksef_verification_url_for_hash

LANGUAGES = ("pl", "en")
_KINDS = {
    InvoiceKind.VAT: DocumentKind.VAT,
    InvoiceKind.PROFORMA: DocumentKind.PROFORMA,
    InvoiceKind.CORRECTION: DocumentKind.CORRECTION,
}


def invoice_pdf_language(invoice: Invoice, *, requested: str | None = None, fallback: str | None = None) -> str:
    """ "pl" or "en": `requested` if it is one of them, else the offer's language, else
    `fallback` (the page's language), else Polish."""
    for candidate in (requested, invoice.offer.language if invoice.offer_id and invoice.offer else "", fallback):
        code = (candidate or "").lower()[:2]
        if code in LANGUAGES:
            return code
    return "pl"


def _party(data: dict[str, Any], *, bank: bool = False) -> Party:
    return Party(
        name=data.get("name", ""),
        tax_id=data.get("tax_id", ""),
        address=address_lines(data),
        bank_account=data.get("bank_account", "") if bank else "",
        email=data.get("email", ""),
        phone=data.get("phone", ""),
    )


def _logo(settings: CompanySettings) -> bytes | None:
    if not settings.logo:
        return None
    try:
        with settings.logo.open("rb") as fh:
            return fh.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def _lines(rows: list[InvoiceLine]) -> tuple[PrintableLine, ...]:
    return tuple(
        printable_line(
            number=n,
            name=row.name,
            quantity=row.quantity,
            unit=row.unit,
            net_price=row.net_price,
            vat_rate=row.vat_rate,
            discount_percent=row.discount_percent,
        )
        for n, row in enumerate(rows, start=1)
    )


def _correction(invoice: Invoice) -> Correction | None:
    if invoice.kind != InvoiceKind.CORRECTION:
        return None
    before = invoice_lines(invoice, before=True)
    corrected = invoice.corrects
    return Correction(
        corrected_number=corrected.number if corrected is not None else "",
        reason=invoice.correction_reason,
        corrected_issue_date=corrected.issue_date if corrected is not None else None,
        corrected_ksef_number=corrected.ksef_number if corrected is not None else "",
        lines_before=_lines(before),
        totals_before=document_totals(row.as_line_in() for row in before),
    )


def invoice_ksef_url(invoice: Invoice, *, settings: CompanySettings | None = None) -> str:
    """The KSeF verification link (KOD I) of an invoice KSeF has given a number, else "".
    The hash is of the XML that was sent (stored when KSeF accepted it); for an invoice
    accepted before the hash was kept, of its XML written again (the same bytes)."""
    if not invoice.ksef_number:
        return ""
    settings = settings or CompanySettings.current()
    try:
        digest = bytes.fromhex(invoice.ksef_xml_sha256) if invoice.ksef_xml_sha256 else b""
    except ValueError:
        digest = b""
    try:
        if not digest:
            digest = hashlib.sha256(invoice_xml(invoice)).digest()
        return ksef_verification_url_for_hash(
            digest=digest,
            seller_nip=(invoice.seller or {}).get("tax_id") or settings.tax_id,
            issue_date=invoice.issue_date,
            environment=KsefEnvironment(settings.ksef_environment or KsefEnvironment.PRODUCTION),
        )
    except (AppError, ValueError):
        return ""


def invoice_printable(invoice: Invoice) -> PrintableDocument:
    """What the PDF of `invoice` shows (its lines after a correction; the lines before in
    `correction`)."""
    settings = CompanySettings.current()
    seller = invoice.seller or seller_snapshot()
    buyer = invoice.buyer or buyer_snapshot(invoice.customer)
    rows = invoice_lines(invoice)
    foreign = invoice.currency != "PLN" and invoice.exchange_rate is not None
    return PrintableDocument(
        kind=_KINDS.get(InvoiceKind(invoice.kind), DocumentKind.VAT),
        number=invoice.number if invoice.status != InvoiceStatus.DRAFT else "",
        issue_date=invoice.issue_date,
        seller=_party(seller, bank=True),
        buyer=_party(buyer),
        lines=_lines(rows),
        totals=document_totals(row.as_line_in() for row in rows),
        currency=invoice.currency,
        sale_date=invoice.sale_date,
        due_date=invoice.due_date,
        place_of_issue=invoice.place_of_issue,
        exchange_rate=ExchangeRate(
            rate=invoice.exchange_rate,
            date=invoice.exchange_rate_date,
            table=invoice.exchange_rate_table,
        )
        if foreign and invoice.exchange_rate is not None
        else None,
        payment_method=PaymentMethod(invoice.payment_method).label
        if invoice.payment_method in PaymentMethod.values
        else invoice.payment_method,
        paid=invoice.paid_total,
        notes=invoice.notes,
        split_payment=invoice.split_payment,
        exemption_basis=invoice.exemption_basis,
        reverse_charge=any(row.vat_rate == "oo" for row in rows),
        logo=_logo(settings),
        ksef_number=invoice.ksef_number,
        ksef_url=invoice_ksef_url(invoice, settings=settings),
        correction=_correction(invoice),
    )


def invoice_pdf(invoice: Invoice, language: str | None = None) -> bytes:
    """The invoice as a PDF file; `language` "pl" or "en" (None: the invoice's own, see
    `invoice_pdf_language`)."""
    code = invoice_pdf_language(invoice, requested=language)
    return document_pdf(invoice_printable(invoice), language=code)


def invoice_pdf_name(invoice: Invoice, language: str = "pl") -> str:
    """ "FV/2026/12/0001" -> "FV_2026_12_0001.pdf"; a draft: "szkic-faktury-17.pdf"
    ("draft-invoice-17.pdf" in English)."""
    if invoice.number and invoice.status != InvoiceStatus.DRAFT:
        return re.sub(r"[^\w.-]+", "_", invoice.number).strip("_") + ".pdf"
    stem = "draft-invoice" if language == "en" else "szkic-faktury"
    return f"{stem}-{invoice.pk}.pdf"


def invoice_pdf_response(invoice: Invoice, *, language: str | None = None, fallback: str | None = None) -> HttpResponse:
    """The PDF as a download; `language` asked for (`?lang=`), `fallback` the page's."""
    code = invoice_pdf_language(invoice, requested=language, fallback=fallback or translation.get_language())
    response = HttpResponse(document_pdf(invoice_printable(invoice), language=code), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice_pdf_name(invoice, code)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
