"""Reads of expenses: who sees which expense, the filtered list, month totals, and the
billable expenses the invoices module adds to an invoice.

`expenses_visible_to(user)` is the one visibility rule (pages, API, card sections,
search, the report): Szef and Kierownik see every expense; a Pracownik sees his own
(he owns or created it), whether or not Szef restricted Pracownik to their own
customers. `expense_may_change` is the rule for changing and deleting: the same people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from crm.accounts.access import is_manager, may_change_owned
from crm.accounts.models import User
from crm.common.search import SearchFold, fold_terms
from crm.contacts.models import Customer
from crm.expenses.models import Expense

ZERO = Decimal("0.00")


def expenses_visible_to(user: User) -> QuerySet[Expense]:
    """Every expense `user` may see (and therefore open, count and export)."""
    if is_manager(user):
        return Expense.objects.all()
    return Expense.objects.filter(Q(owner_id=user.pk) | Q(created_by_id=user.pk))


def expense_may_change(user: User | AnonymousUser, expense: Expense) -> bool:
    """Szef and Kierownik change and delete every expense; a Pracownik his own."""
    return may_change_owned(user, expense.owner_id, expense.created_by_id)


def expense_change_check(user: User | AnonymousUser, expense: Expense) -> None:
    """PermissionDenied (403) unless `user` may change or delete `expense`."""
    if not expense_may_change(user, expense):
        raise PermissionDenied(_("Zmieniać i usuwać wydatek może jego właściciel, Kierownik albo Szef."))


@dataclass(frozen=True)
class ExpenseFilters:
    """The list's filters (pages and API): every one optional."""

    category_id: int | None = None
    uncategorised: bool = False
    customer_id: int | None = None
    billable: bool | None = None
    invoiced: bool | None = None
    owner_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""

    def apply(self, expenses: QuerySet[Expense]) -> QuerySet[Expense]:
        if self.uncategorised:
            expenses = expenses.filter(category__isnull=True)
        elif self.category_id:
            expenses = expenses.filter(category_id=self.category_id)
        if self.customer_id:
            expenses = expenses.filter(customer_id=self.customer_id)
        if self.billable is not None:
            expenses = expenses.filter(billable=self.billable)
        if self.invoiced is not None:
            expenses = expenses.filter(invoiced__isnull=not self.invoiced)
        if self.owner_id:
            expenses = expenses.filter(owner_id=self.owner_id)
        if self.date_from:
            expenses = expenses.filter(date__gte=self.date_from)
        if self.date_to:
            expenses = expenses.filter(date__lte=self.date_to)
        if self.search.strip():
            expenses = expenses.annotate(_fold=SearchFold("name", "supplier", "reference_number"))
            for term in fold_terms(self.search):
                expenses = expenses.filter(_fold__contains=term)
        return expenses


def expense_list(*, user: User, filters: ExpenseFilters | None = None) -> QuerySet[Expense]:
    """Visible expenses, filtered, newest first, with what a list row shows."""
    expenses = (filters or ExpenseFilters()).apply(expenses_visible_to(user))
    return expenses.select_related("category", "customer", "owner").order_by("-date", "-id")


@dataclass
class MonthTotal:
    """One month's sums in one currency."""

    month: date  # the first day of the month
    currency: str
    count: int = 0
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO


def expense_month_totals(expenses: QuerySet[Expense]) -> list[MonthTotal]:
    """Sums per month and currency (newest month first) of a list's expenses: one query."""
    rows = (
        expenses.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month", "currency")
        .annotate(count=Count("id"), net=Sum("amount"), vat=Sum("vat_amount"), gross=Sum("gross_amount"))
        .order_by("-month", "currency")
    )
    return [
        MonthTotal(
            month=row["month"],
            currency=row["currency"],
            count=row["count"],
            net=row["net"] or ZERO,
            vat=row["vat"] or ZERO,
            gross=row["gross"] or ZERO,
        )
        for row in rows
    ]


@dataclass
class CurrencyTotal:
    currency: str
    count: int = 0
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO
    months: list[MonthTotal] = field(default_factory=list)


def expense_totals_by_currency(months: list[MonthTotal]) -> list[CurrencyTotal]:
    """The month totals summed per currency (PLN first)."""
    totals: dict[str, CurrencyTotal] = {}
    for month in months:
        total = totals.setdefault(month.currency, CurrencyTotal(currency=month.currency))
        total.count += month.count
        total.net += month.net
        total.vat += month.vat
        total.gross += month.gross
        total.months.append(month)
    return sorted(totals.values(), key=lambda t: (t.currency != "PLN", t.currency))


# --- billable expenses, for the invoices module ---------------------------------------


def billable_expenses_for(
    customer: Customer | int, *, user: User | None = None, currency: str | None = None
) -> QuerySet[Expense]:
    """Billable expenses of `customer` not yet on an invoice, oldest first: what an
    invoice for that customer may pass on (each as a line, see `expense_invoice_line`).
    `user` narrows them to the expenses that person may see; `currency` to the invoice's."""
    customer_id = customer if isinstance(customer, int) else customer.pk
    expenses = expenses_visible_to(user) if user is not None else Expense.objects.all()
    expenses = expenses.filter(customer_id=customer_id, billable=True, invoiced__isnull=True)
    if currency:
        expenses = expenses.filter(currency=currency)
    return expenses.select_related("category").order_by("date", "id")


def expense_invoice_line(expense: Expense) -> dict[str, object]:
    """The invoice line that passes `expense` on at cost: one unit at its net amount and
    VAT rate (names as in crm.documents.models.DocumentLine)."""
    return {
        "name": expense.name,
        "quantity": Decimal(1),
        "unit": "szt.",
        "net_price": expense.amount,
        "vat_rate": expense.vat_rate,
    }
