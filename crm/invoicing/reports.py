"""The sales report of invoices and the figures of the home page's "Faktury" block.

Sales report, over the invoices the user may see, issued (by issue date) in a period:
- invoiced: gross totals of VAT invoices and of corrections (a correction counts in its
  own month, negative when it lowers the invoice); pro-formas are not sales;
- paid: what has been paid for those invoices so far; outstanding = invoiced − paid;
- per month, per customer and per VAT rate, always per currency (amounts in different
  currencies are never added up). Per VAT rate the gross of each rate comes from the
  document's lines (VAT per rate, as on the invoice) and a payment is spread over the
  rates in proportion to their gross.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.documents.totals import RATE_ORDER, VatRate, money, rate_vat
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, Payment
from crm.invoicing.unpaid import unpaid_invoices

ZERO = Decimal("0.00")
SALES_KINDS = (InvoiceKind.VAT, InvoiceKind.CORRECTION)
NOT_SALES = (InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED)

COLUMNS: list[tuple[str, str | Promise]] = [
    ("section", _("sekcja")),
    ("key", _("klucz")),
    ("label", _("nazwa")),
    ("currency", _("waluta")),
    ("count", _("liczba faktur")),
    ("invoiced", _("zafakturowano")),
    ("paid", _("zapłacono")),
    ("outstanding", _("pozostało")),
]
SECTIONS: dict[str, str | Promise] = {
    "month": _("Według miesięcy"),
    "customer": _("Według klientów"),
    "vat_rate": _("Według stawek VAT"),
}


@dataclass
class SalesRow:
    section: str
    key: str
    label: str
    currency: str
    count: int = 0
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.paid

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "key": self.key,
            "label": self.label,
            "currency": self.currency,
            "count": self.count,
            "invoiced": self.invoiced,
            "paid": self.paid,
            "outstanding": self.outstanding,
        }


@dataclass
class SalesReport:
    date_from: date | None
    date_to: date | None
    sections: dict[str, list[SalesRow]] = field(default_factory=dict)
    totals: list[SalesRow] = field(default_factory=list)

    @property
    def rows(self) -> list[SalesRow]:
        return [row for key in SECTIONS for row in self.sections.get(key, [])]


def sales_invoices(
    user: User, *, date_from: date | None = None, date_to: date | None = None, customer_id: int | None = None
) -> QuerySet[Invoice]:
    qs = invoices_visible_to(user).filter(kind__in=SALES_KINDS).exclude(status__in=NOT_SALES)
    if date_from:
        qs = qs.filter(issue_date__gte=date_from)
    if date_to:
        qs = qs.filter(issue_date__lte=date_to)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs


def _currency_order(row: SalesRow) -> tuple[bool, str]:
    return (row.currency != "PLN", row.currency)


def _grouped(qs: QuerySet[Invoice], section: str, group: str, label: str) -> list[SalesRow]:
    rows = (
        qs.order_by()
        .values(group, label, "currency")
        .annotate(n=Count("id"), invoiced=Coalesce(Sum("gross_total"), ZERO), paid=Coalesce(Sum("paid_total"), ZERO))
    )
    out = []
    for r in rows:
        key = r[group]
        key_text = key.strftime("%Y-%m") if isinstance(key, date) else str(key)
        out.append(
            SalesRow(
                section=section,
                key=key_text,
                label=key_text if section == "month" else str(r[label]),
                currency=r["currency"],
                count=r["n"],
                invoiced=r["invoiced"],
                paid=r["paid"],
            )
        )
    return out


def _by_rate(qs: QuerySet[Invoice]) -> list[SalesRow]:
    """Per VAT rate and currency: the rate's gross of each document (after − before for
    corrections), and the document's paid amount spread over its rates by their gross."""
    docs = {inv["pk"]: inv for inv in qs.values("pk", "currency", "gross_total", "paid_total")}
    nets: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    lines = (
        InvoiceLine.objects.filter(document__in=qs)
        .order_by()
        .values("document_id", "vat_rate", "before_correction")
        .annotate(net=Sum("net_value"))
    )
    for line in lines:
        sign = -1 if line["before_correction"] else 1
        nets[line["document_id"]][line["vat_rate"]] += sign * line["net"]
    rows: dict[tuple[str, str], SalesRow] = {}
    labels = dict(VatRate.choices)
    for pk, by_rate in nets.items():
        doc = docs.get(pk)
        if doc is None:
            continue
        grosses = {rate: money(net) + rate_vat(rate, money(net)) for rate, net in by_rate.items()}
        total = sum(grosses.values(), ZERO)
        paid_left = doc["paid_total"]
        ordered = [rate for rate in RATE_ORDER if rate in grosses]
        for index, rate in enumerate(ordered):
            gross = grosses[rate]
            if index == len(ordered) - 1:
                paid = paid_left  # the last rate takes the rounding rest
            else:
                paid = money(doc["paid_total"] * gross / total) if total else ZERO
                paid_left -= paid
            row = rows.setdefault(
                (rate, doc["currency"]),
                SalesRow(section="vat_rate", key=rate, label=str(labels.get(rate, rate)), currency=doc["currency"]),
            )
            row.count += 1
            row.invoiced += gross
            row.paid += paid
    return sorted(rows.values(), key=lambda r: (RATE_ORDER.index(r.key), *_currency_order(r)))


def sales_report(
    user: User, *, date_from: date | None = None, date_to: date | None = None, customer_id: int | None = None
) -> SalesReport:
    qs = sales_invoices(user, date_from=date_from, date_to=date_to, customer_id=customer_id)
    months = _grouped(qs.annotate(month=TruncMonth("issue_date")), "month", "month", "month")
    months.sort(key=lambda r: (r.key, *_currency_order(r)))
    customers = _grouped(qs, "customer", "customer_id", "customer__name")
    customers.sort(key=lambda r: (-r.invoiced, r.label, r.currency))
    report = SalesReport(date_from=date_from, date_to=date_to)
    report.sections = {"month": months, "customer": customers, "vat_rate": _by_rate(qs)}
    totals: dict[str, SalesRow] = {}
    for row in months:
        total = totals.setdefault(row.currency, SalesRow(section="total", key="", label="", currency=row.currency))
        total.count += row.count
        total.invoiced += row.invoiced
        total.paid += row.paid
    report.totals = sorted(totals.values(), key=_currency_order)
    return report


# --- the home page block -----------------------------------------------------------------


@dataclass
class Figure:
    count: int = 0
    value: dict[str, Decimal] = field(default_factory=dict)

    def add(self, currency: str, n: int, amount: Decimal | None) -> None:
        self.count += n
        self.value[currency] = self.value.get(currency, ZERO) + (amount or ZERO)

    @property
    def totals(self) -> list[tuple[str, Decimal]]:
        items = self.value or {"PLN": ZERO}
        return sorted(items.items(), key=lambda i: (i[0] != "PLN", i[0]))

    def figures(self) -> dict[str, Any]:
        return {"count": self.count, "value": dict(self.totals)}


@dataclass
class InvoiceFigures:
    days: int
    issued: Figure = field(default_factory=Figure)
    paid: Figure = field(default_factory=Figure)
    overdue: Figure = field(default_factory=Figure)  # became overdue within the window, still unpaid
    overdue_all: Figure = field(default_factory=Figure)  # every overdue invoice now

    def figures(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "issued": self.issued.figures(),
            "paid": self.paid.figures(),
            "overdue": self.overdue.figures(),
            "overdue_all": self.overdue_all.figures(),
        }


def _per_currency(qs: QuerySet[Any], tag: str, currency: str, amount: str) -> QuerySet[Any]:
    """(cur, n, total, tag) rows of `qs` per currency, to be joined with UNION ALL."""
    return (
        qs.order_by()
        .values(cur=F(currency))
        .annotate(n=Count("id"), total=Sum(amount), tag=Value(tag, output_field=CharField()))
    )


def invoice_figures(
    user: User, *, days: int, since: date, today: date, everything: bool | None = None
) -> InvoiceFigures:
    """Issued (VAT invoices with an issue date from `since`), paid (payments from `since`)
    and overdue (unpaid invoices whose due date passed from `since` on; and all of them)."""
    visible = invoices_visible_to(user, everything=everything)
    issued = visible.filter(kind=InvoiceKind.VAT, issue_date__gte=since, issue_date__lte=today).exclude(
        status__in=NOT_SALES
    )
    paid = Payment.objects.filter(invoice__in=visible, paid_at__gte=since, paid_at__lte=today)
    overdue = unpaid_invoices(user, today=today).filter(status=InvoiceStatus.OVERDUE)
    # The four figures in one statement (the home page's query budget): per currency, tagged.
    parts = [
        _per_currency(issued, "issued", "currency", "gross_total"),
        _per_currency(paid, "paid", "invoice__currency", "amount"),
        _per_currency(overdue, "overdue_all", "currency", "left"),
        _per_currency(overdue.filter(due_date__gte=since), "overdue", "currency", "left"),
    ]
    figures = InvoiceFigures(days=days)
    for r in parts[0].union(*parts[1:], all=True):
        getattr(figures, r["tag"]).add(r["cur"], r["n"], r["total"])
    return figures
