"""Reads of invoices: the filtered list, one invoice with its lines, a customer's invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from crm.accounts.models import User
from crm.common.search import fold_terms
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.models import Invoice, InvoiceLine


@dataclass(frozen=True)
class InvoiceFilters:
    status: str = ""
    kind: str = ""
    customer: int | None = None
    date_from: date | None = None  # issue date, inclusive
    date_to: date | None = None
    q: str = ""  # number, buyer's name or NIP


def invoice_list(*, user: User, filters: InvoiceFilters | None = None) -> QuerySet[Invoice]:
    """Invoices `user` sees, newest issue date first (drafts among them by their dates)."""
    filters = filters or InvoiceFilters()
    invoices = invoices_visible_to(user).select_related("customer", "corrects")
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.kind:
        invoices = invoices.filter(kind=filters.kind)
    if filters.customer is not None:
        invoices = invoices.filter(customer_id=filters.customer)
    if filters.date_from is not None:
        invoices = invoices.filter(issue_date__gte=filters.date_from)
    if filters.date_to is not None:
        invoices = invoices.filter(issue_date__lte=filters.date_to)
    for term in fold_terms(filters.q, digits=True):
        invoices = invoices.filter(search_text__contains=term)
    return invoices.order_by("-issue_date", "-id")


def invoice_lines_prefetch(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """`invoices` with their lines in order (one more query for the whole page)."""
    return invoices.prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.order_by("before_correction", "position", "id"))
    )


def invoice_with_lines(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """`invoices` with their lines in order and the relations a card or the API shows."""
    return invoice_lines_prefetch(
        invoices.select_related("customer", "corrects", "from_proforma", "owner", "deal", "offer")
    )
