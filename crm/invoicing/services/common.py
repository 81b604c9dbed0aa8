"""What the invoice services share: the line input, the refusals, totals and checks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crm.catalog.models import GTU_CHOICES, Product
from crm.common.errors import AppError
from crm.contacts.models import search_text_for
from crm.documents.totals import RATE_ORDER, ZERO, LineIn, RateTotal, Totals, document_totals, line_net, money
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from crm.invoicing.rules import RuleLine, exemption_needed, split_payment_required

MAX_LINES = 200
GTU_CODES = {code for code, _label in GTU_CHOICES}
QUANTITY_MAX = Decimal("9999999999")
PRICE_MAX = Decimal("999999999999")
# The most a document may be worth (net): its totals stay well within the 14-digit columns.
AMOUNT_MAX = Decimal("10000000000")


class InvoiceStateError(AppError):
    """The invoice is not in a state that allows this (issued invoices are never edited,
    a draft is not corrected...): a message on the page, 400 naming `status` in the API."""

    def __init__(self, message: str, field: str | None = "status") -> None:
        super().__init__(message, field)


@dataclass(frozen=True)
class LineData:
    """One line as typed (form, API) or copied (offer, pro-forma, corrected invoice)."""

    name: str
    net_price: Decimal
    quantity: Decimal = Decimal(1)
    unit: str = "szt."
    vat_rate: str = "23"
    discount_percent: Decimal = ZERO
    product: Product | None = None
    gtu: str = ""
    pkwiu: str = ""
    annex15: bool = False

    @classmethod
    def of(cls, line: InvoiceLine) -> LineData:
        return cls(
            name=line.name,
            net_price=line.net_price,
            quantity=line.quantity,
            unit=line.unit,
            vat_rate=line.vat_rate,
            discount_percent=line.discount_percent,
            product=line.product,
            gtu=line.gtu,
            pkwiu=line.pkwiu,
            annex15=line.annex15,
        )

    def as_line_in(self) -> LineIn:
        return LineIn(
            quantity=self.quantity,
            net_price=self.net_price,
            vat_rate=self.vat_rate,
            discount_percent=self.discount_percent,
        )


def lines_check(lines: Sequence[LineData], *, allow_negative_price: bool = False) -> None:
    """ValidationError on `lines` naming the position of the first bad line."""
    if not lines:
        raise ValidationError({"lines": _("Dodaj co najmniej jedną pozycję.")})
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("Faktura może mieć najwyżej %(max)s pozycji.") % {"max": MAX_LINES}})
    total = ZERO
    for number, line in enumerate(lines, start=1):
        problem = _line_problem(line, allow_negative_price=allow_negative_price)
        if problem:
            raise ValidationError({"lines": _("Pozycja %(nr)s: %(problem)s") % {"nr": number, "problem": problem}})
        total += abs(line_net(line.as_line_in()))
    if total > AMOUNT_MAX:
        raise ValidationError({"lines": _("Wartość netto dokumentu może wynosić najwyżej 10 mld.")})


def _line_problem(line: LineData, *, allow_negative_price: bool) -> str:
    if not line.name.strip():
        return _("podaj nazwę towaru lub usługi.")
    if line.vat_rate not in RATE_ORDER:
        return _("wybierz stawkę VAT z listy.")
    if line.quantity <= 0 or line.quantity > QUANTITY_MAX:
        return _("ilość musi być większa od zera.")
    if abs(line.net_price) > PRICE_MAX or (line.net_price < 0 and not allow_negative_price):
        return _("cena netto nie może być ujemna.")
    if not ZERO <= line.discount_percent <= Decimal(100):
        return _("rabat musi wynosić od 0 do 100%.")
    if line.gtu and line.gtu not in GTU_CODES:
        return _("kod GTU ma postać GTU_01 … GTU_13.")
    if not line.unit.strip():
        return _("podaj jednostkę, np. szt.")
    return ""


def lines_save(invoice: Invoice, lines: Iterable[LineData], *, before_correction: bool = False) -> None:
    """Replace the invoice's lines (the "after" side; or the "before" side of a correction)."""
    invoice.lines.filter(before_correction=before_correction).delete()
    rows = []
    for position, line in enumerate(lines, start=1):
        row = InvoiceLine(
            document=invoice,
            position=position,
            name=line.name.strip()[:500],
            product=line.product,
            quantity=line.quantity,
            unit=line.unit.strip()[:20],
            net_price=line.net_price,
            vat_rate=line.vat_rate,
            discount_percent=line.discount_percent,
            gtu=line.gtu,
            pkwiu=line.pkwiu.strip()[:20],
            annex15=line.annex15,
            before_correction=before_correction,
        )
        row.net_value = line_net(line.as_line_in())
        rows.append(row)
    InvoiceLine.objects.bulk_create(rows)


def totals_difference(after: Totals, before: Totals) -> Totals:
    """After minus before, per rate present on either side: what a correction changes."""
    by_rate = []
    for code in RATE_ORDER:
        a, b = after.rate(code), before.rate(code)
        if a is None and b is None:
            continue
        net = (a.net if a else ZERO) - (b.net if b else ZERO)
        vat = (a.vat if a else ZERO) - (b.vat if b else ZERO)
        by_rate.append(RateTotal(vat_rate=code, net=net, vat=vat, gross=net + vat))
    return Totals(
        by_rate=tuple(by_rate),
        net=money(after.net - before.net),
        vat=money(after.vat - before.vat),
        gross=money(after.gross - before.gross),
    )


def invoice_lines(invoice: Invoice, *, before: bool = False) -> list[InvoiceLine]:
    return [line for line in invoice.lines.all() if line.before_correction == before]


def invoice_totals(invoice: Invoice) -> Totals:
    """Totals per VAT rate: of the lines, or for a correction the lines after minus before."""
    after = document_totals(line.as_line_in() for line in invoice_lines(invoice))
    if invoice.kind != InvoiceKind.CORRECTION:
        return after
    before = document_totals(line.as_line_in() for line in invoice_lines(invoice, before=True))
    return totals_difference(after, before)


def _rule_lines(invoice: Invoice) -> list[RuleLine]:
    return [RuleLine(vat_rate=line.vat_rate, gtu=line.gtu, annex15=line.annex15) for line in invoice_lines(invoice)]


def totals_and_rules_apply(invoice: Invoice, *, buyer_tax_id: str) -> None:
    """Store the totals; switch the split-payment mark on where the law requires it;
    refuse `zw` lines without the exemption's legal basis. Saves the invoice."""
    totals_and_rules_set(invoice, buyer_tax_id=buyer_tax_id)
    invoice.search_text = invoice_search_text(invoice)
    invoice.save()


def totals_and_rules_set(invoice: Invoice, *, buyer_tax_id: str) -> None:
    """`totals_and_rules_apply` without saving (the issuing service saves once, later)."""
    totals = invoice_totals(invoice)
    invoice.net_total, invoice.vat_total, invoice.gross_total = totals.net, totals.vat, totals.gross
    rule_lines = _rule_lines(invoice)
    if exemption_needed(rule_lines) and not invoice.exemption_basis.strip():
        raise ValidationError(
            {"exemption_basis": _("Pozycja ze stawką „zw” wymaga podstawy prawnej zwolnienia, np. art. 43 ust. 1 …")}
        )
    if invoice.kind == InvoiceKind.CORRECTION and invoice.corrects is not None:
        invoice.split_payment = invoice.split_payment or invoice.corrects.split_payment
    elif split_payment_required(
        kind=invoice.kind,
        lines=rule_lines,
        gross=totals.gross,
        currency=invoice.currency,
        exchange_rate=invoice.exchange_rate,
        buyer_tax_id=buyer_tax_id,
    ):
        invoice.split_payment = True


def invoice_search_text(invoice: Invoice) -> str:
    """Number (also as digits only: "2026/12/7" finds "FV/2026/12/7"), buyer and NIP, folded."""
    digits = re.sub(r"\D", "", invoice.number)
    return search_text_for(invoice.number, digits, *_search_buyer(invoice))


def invoice_search_text_around(invoice: Invoice, *, prefix: str, suffix: str) -> tuple[str, str, str]:
    """(a, b, c) such that `invoice_search_text` of the invoice numbered prefix + NR + suffix
    is a + NR + b + NR + c, for any NR: the issuing service writes the search text in the
    statement that takes the number. (Folding and keeping the digits go character by
    character, and the number and its digits are never empty.)"""
    rest = search_text_for(*_search_buyer(invoice))
    return (
        search_text_for(prefix),
        search_text_for(suffix) + " " + re.sub(r"\D", "", prefix),
        re.sub(r"\D", "", suffix) + (" " + rest if rest else ""),
    )


def _search_buyer(invoice: Invoice) -> tuple[str, str]:
    buyer = invoice.buyer.get("name") or invoice.customer.name
    return buyer, invoice.buyer.get("tax_id") or invoice.customer.tax_id


def draft_check(invoice: Invoice) -> None:
    """InvoiceStateError unless the invoice is still a draft."""
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceStateError(
            _("Faktura %(number)s jest już wystawiona i nie można jej zmieniać. Wystaw fakturę korygującą.")
            % {"number": invoice.number}
        )
