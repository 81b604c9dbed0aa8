"""PDF of a business document (offer, pro-forma, VAT invoice, correction) in Polish or
English, drawn by WeasyPrint from a Django template and `PrintableDocument`.

WeasyPrint (HTML and CSS to PDF, with Debian's Pango) is chosen over ReportLab because the
layout is an ordinary template with CSS, tables split across pages with repeated headers
and page numbers come from CSS, and the fonts are real OpenType shaping. The font is the
vendored DejaVu Sans subset (`pdf_assets/fonts`), embedded in every PDF, so Polish letters
come out the same on any installation.

Safety: the document is drawn with a URL fetcher that loads nothing but `data:` URIs (the
logo, the QR code) and the files in `pdf_assets` (stylesheet, fonts): text from users
(names, notes, an offer's introduction, sanitised again here) cannot make the renderer read
a local file or call a server.

Speed: the stylesheet and its fonts are parsed once per thread and reused (WeasyPrint's
objects are not shared between threads); a 10-line invoice takes about 0.1 s.
"""

from __future__ import annotations

import base64
import io
import logging
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import nh3
import segno
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from crm.documents.printable import DocumentKind, PrintableDocument, PrintableLine, totals_difference
from crm.documents.totals import RATE_PERCENT, ZERO, Totals, money
from crm.documents.words import amount_in_words

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "pdf_assets"
TEMPLATE = "documents/pdf/document.html"
# What an offer's introduction may keep: text structure, no images, styles or scripts.
INTRO_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a"}
_IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


class _AssetsOnly(URLFetcher):
    """Loads `data:` URIs and the files under `pdf_assets`; refuses everything else."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(ASSETS) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        raise ValueError(f"documents load no external resources: {url[:80]}")


_local = threading.local()


def _stylesheet() -> tuple[CSS, FontConfiguration, URLFetcher]:
    """The parsed stylesheet with its fonts, made once per thread."""
    cached = getattr(_local, "stylesheet", None)
    if cached is None:
        fetcher = _AssetsOnly()
        fonts = FontConfiguration()
        css = CSS(filename=str(ASSETS / "document.css"), font_config=fonts, url_fetcher=fetcher)
        cached = _local.stylesheet = (css, fonts, fetcher)
    return cached


def document_pdf(doc: PrintableDocument, *, language: str) -> bytes:
    """The document as a PDF file, its labels in `language` ("pl" or "en")."""
    css, fonts, fetcher = _stylesheet()
    with translation.override(language):
        html = render_to_string(TEMPLATE, _context(doc, language))
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css], font_config=fonts)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


# --- What the template shows, formatted in the active language --------------------------


def _money(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _quantity(value: Decimal) -> str:
    exponent = value.quantize(Decimal("0.0001")).normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _date(value: Any) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _rate(code: str) -> str:
    return f"{code}%" if code in RATE_PERCENT else code


def _title(doc: PrintableDocument) -> str:
    if doc.title:
        return doc.title
    return {
        DocumentKind.OFFER: _("Oferta handlowa"),
        DocumentKind.PROFORMA: _("Faktura pro forma"),
        DocumentKind.VAT: _("Faktura VAT"),
        DocumentKind.CORRECTION: _("Faktura korygująca"),
    }[doc.kind]


def _line_rows(lines: tuple[PrintableLine, ...]) -> list[dict[str, Any]]:
    return [
        {
            "number": line.number,
            "name": line.name,
            "quantity": _quantity(line.quantity),
            "unit": line.unit,
            "net_price": _money(line.net_price),
            "discount": _quantity(line.discount_percent) if line.discount_percent else "",
            "net_value": _money(line.net_value),
            "rate": _rate(line.vat_rate),
            "vat": _money(line.vat),
            "gross": _money(line.gross),
        }
        for line in lines
    ]


def _rate_rows(totals: Totals, doc: PrintableDocument) -> list[dict[str, Any]]:
    rate = doc.exchange_rate.rate if doc.exchange_rate and doc.currency != "PLN" else None

    def in_pln(vat: Decimal) -> str:
        return _money(money(vat * rate)) if rate is not None else ""

    rows: list[dict[str, Any]] = [
        {
            "label": _rate(r.vat_rate),
            "net": _money(r.net),
            "vat": _money(r.vat),
            "gross": _money(r.gross),
            "vat_pln": in_pln(r.vat),
        }
        for r in totals.by_rate
    ]
    vat_pln = sum((money(r.vat * rate) for r in totals.by_rate), ZERO) if rate is not None else None
    rows.append(
        {
            "label": _("Razem"),
            "net": _money(totals.net),
            "vat": _money(totals.vat),
            "gross": _money(totals.gross),
            "vat_pln": _money(vat_pln) if vat_pln is not None else "",
            "sum": True,
        }
    )
    return rows


def _image_uri(data: bytes | Path | None) -> str:
    """A data: URI of a logo, or "" when there is none or it is not an image we draw."""
    if data is None:
        return ""
    if isinstance(data, Path):
        try:
            data = data.read_bytes()
        except OSError:
            logger.warning("document logo not readable: %s", data)
            return ""
    mime = next((m for magic, m in _IMAGE_TYPES if data.startswith(magic)), "")
    if not mime and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        mime = "image/webp"
    if not mime and b"<svg" in data[:1024]:
        mime = "image/svg+xml"
    if not mime:
        logger.warning("document logo is not a PNG, JPEG, GIF, WebP or SVG image; left out")
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _intro(html: str) -> str:
    """An offer's introduction, sanitised here whatever its caller did."""
    if not html:
        return ""
    return mark_safe(nh3.clean(html, tags=INTRO_TAGS, attributes={"a": {"href"}}))  # noqa: S308 - sanitised


def _qr_uri(url: str) -> str:
    """The QR code of a URL as a PNG, one pixel per module (scaled up crisply by CSS)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=1, border=4)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _context(doc: PrintableDocument, language: str) -> dict[str, Any]:
    is_offer = doc.kind == DocumentKind.OFFER
    is_foreign = doc.currency != "PLN"
    correction = doc.correction if doc.kind == DocumentKind.CORRECTION else None
    title = _title(doc)

    dates = [(_("Data wystawienia"), _date(doc.issue_date))]
    if doc.sale_date and not is_offer:
        dates.append((_("Data sprzedaży"), _date(doc.sale_date)))
    if doc.valid_until:
        dates.append((_("Ważna do"), _date(doc.valid_until)))
    if doc.place_of_issue:
        dates.append((_("Miejsce wystawienia"), doc.place_of_issue))
    dates += list(doc.extra)

    sections = [{"heading": "", "lines": _line_rows(doc.lines), "rates": _rate_rows(doc.totals, doc)}]
    value = doc.totals.gross
    if correction and correction.totals_before is not None:
        difference = totals_difference(doc.totals, correction.totals_before)
        sections = [
            {
                "heading": _("Przed korektą"),
                "lines": _line_rows(correction.lines_before),
                "rates": _rate_rows(correction.totals_before, doc),
            },
            {"heading": _("Po korekcie"), "lines": _line_rows(doc.lines), "rates": _rate_rows(doc.totals, doc)},
            {"heading": _("Różnica (korekta)"), "lines": [], "rates": _rate_rows(difference, doc)},
        ]
        value = difference.gross

    marks = []
    if doc.split_payment:
        marks.append(_("mechanizm podzielonej płatności"))
    if doc.reverse_charge or any(line.vat_rate == "oo" for line in doc.lines):
        marks.append(_("odwrotne obciążenie"))
    if doc.exemption_basis:
        marks.append(_("Podstawa zwolnienia z VAT: %(basis)s") % {"basis": doc.exemption_basis})

    payment: list[tuple[str, str]] = []
    if not is_offer:
        if doc.payment_method:
            payment.append((_("Sposób płatności"), str(doc.payment_method)))
        if doc.due_date:
            payment.append((_("Termin płatności"), _date(doc.due_date)))
        if doc.seller.bank_account:
            payment.append((_("Numer rachunku"), doc.seller.bank_account))
        if doc.paid:
            payment.append((_("Zapłacono"), f"{_money(doc.paid)} {doc.currency}"))
            payment.append((_("Pozostało do zapłaty"), f"{_money(value - doc.paid)} {doc.currency}"))

    if is_offer:
        due_label = _("Wartość oferty brutto")
    elif value < 0:
        due_label = _("Do zwrotu")
    else:
        due_label = _("Razem do zapłaty")

    exchange_note = ""
    if is_foreign and doc.exchange_rate and not is_offer:
        exchange_note = _("Kurs %(currency)s/PLN: %(rate)s") % {
            "currency": doc.currency,
            "rate": formats.number_format(doc.exchange_rate.rate, decimal_pos=4, use_l10n=True),
        }
        if doc.exchange_rate.date:
            exchange_note += " " + _("z dnia %(date)s") % {"date": _date(doc.exchange_rate.date)}
        if doc.exchange_rate.table:
            exchange_note += ", " + _("tabela NBP nr %(table)s") % {"table": doc.exchange_rate.table}
        exchange_note += "."

    return {
        "doc": doc,
        "language": language,
        "title": title,
        "heading": f"{title} {doc.number}".strip(),
        "dates": dates,
        "correction": correction,
        "correction_issue_date": _date(correction.corrected_issue_date) if correction else "",
        "parties": [
            (_("Oferent") if is_offer else _("Sprzedawca"), doc.seller, is_offer),
            (_("Klient") if is_offer else _("Nabywca"), doc.buyer, True),
        ],
        "logo_uri": _image_uri(doc.logo),
        "intro_html": _intro(doc.introduction_html),
        "sections": sections,
        "show_discount": any(
            line.discount_percent for line in (*doc.lines, *(correction.lines_before if correction else ()))
        ),
        "show_vat_pln": is_foreign and doc.exchange_rate is not None and not is_offer,
        "marks": marks,
        "payment": payment,
        "due_label": due_label,
        "due_amount": f"{_money(abs(value))} {doc.currency}",
        "words": doc.amount_in_words or amount_in_words(abs(value), doc.currency, language),
        "exchange_note": exchange_note,
        "proforma_note": _("Faktura pro forma nie jest dokumentem księgowym i nie stanowi podstawy do odliczenia VAT.")
        if doc.kind == DocumentKind.PROFORMA
        else "",
        "qr_uri": _qr_uri(doc.ksef_url) if doc.ksef_url else "",
        "ksef_caption": doc.ksef_number or "OFFLINE",
    }
