"""The "Niezapłacone" list: issued invoices with something left to pay, aged by how
many days past the due date they are (0–30, 31–60, 61–90, 90+; not yet due apart),
per customer and in totals per currency. Everything is summed in the database (one
query for the totals, one for the customers' page), whatever the number of invoices.

Left to pay = gross total + issued corrections − paid, all three stored on the invoice
(`crm.invoicing.payments` keeps them).
Pro-formas already turned into VAT invoices are left out (the VAT invoice is the debt).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.models import Invoice
from crm.invoicing.payments import OPEN_STATUSES, PAYABLE_KINDS, converted_proforma_q

ZERO = Decimal("0.00")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str | Promise
    low: int | None  # days past due, inclusive; None: open-ended
    high: int | None


BUCKETS: tuple[Bucket, ...] = (
    Bucket("not_due", _("Przed terminem"), None, -1),
    Bucket("0_30", _("0–30 dni"), 0, 30),
    Bucket("31_60", _("31–60 dni"), 31, 60),
    Bucket("61_90", _("61–90 dni"), 61, 90),
    Bucket("90_plus", _("Ponad 90 dni"), 91, None),
)
BUCKET_KEYS = tuple(b.key for b in BUCKETS)


def bucket_q(bucket: Bucket, today: date) -> Q:
    """Invoices `low`..`high` days past due: due date between today−high and today−low."""
    q = Q()
    if bucket.low is not None:
        q &= Q(due_date__lte=today - timedelta(days=bucket.low))
    if bucket.high is not None:
        q &= Q(due_date__gte=today - timedelta(days=bucket.high))
    return q


def bucket_filter(invoices: QuerySet[Invoice], key: str) -> QuerySet[Invoice]:
    """Narrow `unpaid_invoices(...)` to one bucket (its `bucket` annotation)."""
    return invoices.filter(**{"bucket": key})


def bucket_of(days_past_due: int) -> str:
    for bucket in BUCKETS:
        if (bucket.low is None or days_past_due >= bucket.low) and (
            bucket.high is None or days_past_due <= bucket.high
        ):
            return bucket.key
    return BUCKETS[-1].key


def unpaid_invoices(user: User, *, today: date) -> QuerySet[Invoice]:
    """Visible, issued VAT invoices and pro-formas with `left` > 0, annotated with `left`
    and `bucket`; oldest due date first."""
    whens = [When(bucket_q(b, today), then=Value(b.key)) for b in BUCKETS]
    return (
        invoices_visible_to(user)
        .filter(kind__in=PAYABLE_KINDS, status__in=OPEN_STATUSES)
        .exclude(converted_proforma_q())
        .annotate(left=F("gross_total") + F("corrections_total") - F("paid_total"))
        .filter(left__gt=0)
        .annotate(bucket=Case(*whens, default=Value(BUCKETS[-1].key), output_field=CharField()))
        .order_by("due_date", "id")
    )


@dataclass
class AgeingRow:
    """Amounts left to pay per bucket, for one customer (or all) in one currency."""

    currency: str
    customer_id: int | None = None
    customer_name: str = ""
    count: int = 0
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKET_KEYS, ZERO))

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def overdue(self) -> Decimal:
        return self.total - self.buckets["not_due"]

    def cells(self) -> list[Decimal]:
        return [self.buckets[key] for key in BUCKET_KEYS]

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {"currency": self.currency, "count": self.count, "total": self.total}
        if self.customer_id is not None:
            out.update(customer=self.customer_id, customer_name=self.customer_name)
        out["buckets"] = dict(self.buckets)
        return out


def _bucket_sums(today: date) -> dict[str, Any]:
    return {
        f"b_{b.key}": Coalesce(Sum("left", filter=bucket_q(b, today)), Value(ZERO), output_field=MONEY) for b in BUCKETS
    }


def _row(values: dict[str, Any], **extra: Any) -> AgeingRow:
    row = AgeingRow(currency=values["currency"], count=values["n"], **extra)
    row.buckets = {b.key: values[f"b_{b.key}"] for b in BUCKETS}
    return row


def ageing_totals(invoices: QuerySet[Invoice], *, today: date) -> list[AgeingRow]:
    """One row per currency (PLN first)."""
    rows = invoices.order_by().values("currency").annotate(n=Count("id"), **_bucket_sums(today))
    return sorted((_row(r) for r in rows), key=lambda r: (r.currency != "PLN", r.currency))


def ageing_by_customer(invoices: QuerySet[Invoice], *, today: date) -> list[AgeingRow]:
    """One row per customer and currency, most left to pay first."""
    rows = (
        invoices.order_by()
        .values("customer_id", "customer__name", "currency")
        .annotate(n=Count("id"), total=Sum("left"), **_bucket_sums(today))
        .order_by("-total", "customer__name", "currency")
    )
    return [_row(r, customer_id=r["customer_id"], customer_name=r["customer__name"]) for r in rows]


def unpaid_export_rows(invoices: QuerySet[Invoice], *, today: date) -> Iterator[list[Any]]:
    labels = {b.key: str(b.label) for b in BUCKETS}
    for inv in invoices.select_related("customer").iterator(chunk_size=500):
        yield [
            inv.number,
            inv.get_kind_display(),
            inv.customer.name,
            inv.issue_date,
            inv.due_date,
            max((today - inv.due_date).days, 0),
            labels[inv.bucket],  # type: ignore[attr-defined]
            inv.currency,
            inv.gross_total + inv.corrections_total,
            inv.paid_total,
            inv.left,  # type: ignore[attr-defined]
        ]


def unpaid_export_header() -> list[str | Promise]:
    return [
        _("numer"),
        _("rodzaj"),
        _("klient"),
        _("data wystawienia"),
        _("termin płatności"),
        _("dni po terminie"),
        _("przedział"),
        _("waluta"),
        _("do zapłaty razem"),
        _("zapłacono"),
        _("pozostało"),
    ]
