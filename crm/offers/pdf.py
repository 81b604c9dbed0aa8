"""The offer as a PDF (crm.documents.pdf.document_pdf), in the offer's language, and the
offer's introduction as safe HTML for the pages and the PDF.

The introduction of a proposal may be rich text (a few HTML tags, sanitised with nh3 when
stored and again when drawn); text without tags is shown as paragraphs."""

from __future__ import annotations

import re

import nh3
from django.http import HttpResponse
from django.utils import translation
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from crm.company.models import CompanySettings
from crm.documents.pdf import INTRO_TAGS, document_pdf
from crm.documents.printable import DocumentKind, Party, PrintableDocument, printable_line
from crm.documents.totals import document_totals
from crm.offers.models import Offer
from tenants.selectors import company_active

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def intro_clean(text: str) -> str:
    """What is stored: HTML kept to the allowed tags, plain text as typed."""
    text = (text or "").strip()
    if _TAG.search(text):
        return nh3.clean(text, tags=INTRO_TAGS, attributes={"a": {"href"}})
    return text


def intro_html(text: str) -> SafeString:
    """The introduction as HTML: sanitised again if it has tags, else paragraphs of text."""
    text = (text or "").strip()
    if not text:
        return SafeString("")
    if _TAG.search(text):
        return mark_safe(nh3.clean(text, tags=INTRO_TAGS, attributes={"a": {"href"}}))  # noqa: S308 - sanitised
    return SafeString(linebreaks(text, autoescape=True))


def _address(street: str, postal_code: str, city: str, country: str) -> tuple[str, ...]:
    town = " ".join(part for part in (postal_code, city) if part)
    abroad = country and country.strip().lower() not in ("polska", "poland", "pl")
    return tuple(part for part in (street, town, country if abroad else "") if part)


def _logo(settings: CompanySettings) -> bytes | None:
    if not settings.logo:
        return None
    try:
        with settings.logo.open("rb") as fh:
            return fh.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def offer_printable(offer: Offer) -> PrintableDocument:
    settings = CompanySettings.current()
    company = company_active()
    seller = Party(
        name=company.name if company is not None else "",
        tax_id=settings.tax_id,
        address=_address(settings.street, settings.postal_code, settings.city, settings.country),
        bank_account=settings.bank_account,
        email=settings.email,
        phone=settings.phone,
    )
    customer = offer.customer
    buyer = Party(
        name=customer.name,
        tax_id=customer.tax_id,
        address=_address(customer.street, customer.postal_code, customer.city, customer.country),
        email=customer.email,
        phone=customer.phone,
    )
    rows = list(offer.lines.order_by("position", "id"))
    lines = tuple(
        printable_line(
            number=n,
            name=line.name,
            quantity=line.quantity,
            unit=line.unit,
            net_price=line.net_price,
            vat_rate=line.vat_rate,
            discount_percent=line.discount_percent,
        )
        for n, line in enumerate(rows, start=1)
    )
    with translation.override(offer.language or "pl"):
        extra = ((_("Temat"), offer.title),) if offer.title else ()
    return PrintableDocument(
        kind=DocumentKind.OFFER,
        number=offer.number,
        issue_date=offer.issue_date,
        seller=seller,
        buyer=buyer,
        lines=lines,
        totals=document_totals(line.as_line_in() for line in rows),
        currency=offer.currency,
        valid_until=offer.valid_until,
        place_of_issue=settings.place_of_issue,
        introduction_html=str(intro_html(offer.introduction)),
        notes=offer.terms,
        logo=_logo(settings),
        extra=extra,
    )


def offer_pdf(offer: Offer) -> bytes:
    return document_pdf(offer_printable(offer), language=offer.language or "pl")


def offer_pdf_name(offer: Offer) -> str:
    """ "oferta-of-2026-7.pdf" (a draft: "szkic-oferty.pdf"), in the offer's language."""
    with translation.override(offer.language or "pl"):
        stem = _("oferta") if offer.number else _("szkic oferty")
    return f"{slugify(stem) or 'oferta'}{'-' + slugify(offer.number.replace('/', '-')) if offer.number else ''}.pdf"


def offer_pdf_response(offer: Offer, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(offer_pdf(offer), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{offer_pdf_name(offer)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
