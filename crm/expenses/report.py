"""The monthly expense report: per month and category, net, VAT and gross, and how much
of it is billable (passed on to customers) and how much is the company's own cost.

One grouped query (month × category × currency × billable) over the expenses the person
may see; the rows are folded into months, categories and totals in Python. Amounts in
different currencies are never added together: every sum is per currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.accounts.models import User
from crm.expenses.models import ExpenseCategory
from crm.expenses.selectors import ExpenseFilters, expenses_visible_to

ZERO = Decimal("0.00")
NO_CATEGORY_COLOUR = "#6c757d"


@dataclass
class Figures:
    """Sums of a group of expenses in one currency."""

    currency: str
    count: int = 0
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO
    billable_gross: Decimal = ZERO
    own_gross: Decimal = ZERO  # not billable: the company's own cost

    def add(self, other: Figures) -> None:
        self.count += other.count
        self.net += other.net
        self.vat += other.vat
        self.gross += other.gross
        self.billable_gross += other.billable_gross
        self.own_gross += other.own_gross


@dataclass
class CategoryRow:
    month: date
    category_id: int | None
    label: str
    color: str
    figures: Figures


@dataclass
class MonthBlock:
    month: date
    rows: list[CategoryRow] = field(default_factory=list)
    totals: list[Figures] = field(default_factory=list)  # one per currency


@dataclass
class CategoryTotal:
    category_id: int | None
    label: str
    color: str
    totals: list[Figures] = field(default_factory=list)


@dataclass
class ExpenseReport:
    date_from: date
    date_to: date
    months: list[MonthBlock]
    categories: list[CategoryTotal]
    totals: list[Figures]  # one per currency, PLN first

    @property
    def currencies(self) -> list[str]:
        return [t.currency for t in self.totals]

    @property
    def main_currency(self) -> str:
        return self.totals[0].currency if self.totals else "PLN"

    @property
    def rows(self) -> list[CategoryRow]:
        return [row for month in self.months for row in month.rows]


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    first = today.replace(day=1)
    for _month in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


def _currency_order(currency: str) -> tuple[bool, str]:
    return currency != "PLN", currency


def _merged(figures: list[Figures]) -> list[Figures]:
    by_currency: dict[str, Figures] = {}
    for item in figures:
        by_currency.setdefault(item.currency, Figures(currency=item.currency)).add(item)
    return sorted(by_currency.values(), key=lambda f: _currency_order(f.currency))


def expense_report(
    *, user: User, date_from: date, date_to: date, filters: ExpenseFilters | None = None
) -> ExpenseReport:
    """The report of the expenses `user` may see dated `date_from`..`date_to` (inclusive),
    narrowed by `filters` (category, customer, billable...; its dates are ignored)."""
    expenses = expenses_visible_to(user).filter(date__gte=date_from, date__lte=date_to)
    if filters is not None:
        expenses = replace(filters, date_from=None, date_to=None).apply(expenses)
    grouped = (
        expenses.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month", "category_id", "currency", "billable")
        .annotate(count=Count("id"), net=Sum("amount"), vat=Sum("vat_amount"), gross=Sum("gross_amount"))
    )
    categories = {c.pk: c for c in ExpenseCategory.objects.all()}
    order = {pk: index for index, pk in enumerate(categories)}
    cells: dict[tuple[date, int | None, str], Figures] = {}
    for row in grouped:
        key = (row["month"], row["category_id"], row["currency"])
        figures = cells.setdefault(key, Figures(currency=row["currency"]))
        gross = row["gross"] or ZERO
        figures.add(
            Figures(
                currency=row["currency"],
                count=row["count"],
                net=row["net"] or ZERO,
                vat=row["vat"] or ZERO,
                gross=gross,
                billable_gross=gross if row["billable"] else ZERO,
                own_gross=ZERO if row["billable"] else gross,
            )
        )
    no_category = _("Bez kategorii")

    def label_of(category_id: int | None) -> tuple[str, str]:
        category = categories.get(category_id) if category_id is not None else None
        return (category.name, category.color) if category else (no_category, NO_CATEGORY_COLOUR)

    months: dict[date, MonthBlock] = {}
    by_category: dict[int | None, list[Figures]] = {}
    for (month, category_id, _currency), figures in sorted(
        cells.items(),
        key=lambda item: (
            item[0][0],
            order.get(item[0][1], len(order)) if item[0][1] is not None else len(order) + 1,
            _currency_order(item[0][2]),
        ),
    ):
        label, color = label_of(category_id)
        block = months.setdefault(month, MonthBlock(month=month))
        block.rows.append(CategoryRow(month=month, category_id=category_id, label=label, color=color, figures=figures))
        by_category.setdefault(category_id, []).append(figures)
    for block in months.values():
        block.totals = _merged([row.figures for row in block.rows])
    category_totals = []
    for category_id, parts in sorted(
        by_category.items(), key=lambda item: order.get(item[0], len(order)) if item[0] is not None else len(order) + 1
    ):
        label, color = label_of(category_id)
        category_totals.append(CategoryTotal(category_id=category_id, label=label, color=color, totals=_merged(parts)))
    return ExpenseReport(
        date_from=date_from,
        date_to=date_to,
        months=sorted(months.values(), key=lambda block: block.month),
        categories=category_totals,
        totals=_merged([figures for block in months.values() for figures in block.totals]),
    )


REPORT_COLUMNS = (
    ("month", gettext_lazy("miesiąc")),
    ("category", gettext_lazy("kategoria")),
    ("currency", gettext_lazy("waluta")),
    ("count", gettext_lazy("liczba")),
    ("net", gettext_lazy("netto")),
    ("vat", gettext_lazy("VAT")),
    ("gross", gettext_lazy("brutto")),
    ("billable_gross", gettext_lazy("do refakturowania (brutto)")),
    ("own_gross", gettext_lazy("koszty własne (brutto)")),
)


def report_csv_rows(report: ExpenseReport) -> list[list[object]]:
    """One row per month, category and currency (what the CSV export holds)."""
    return [
        [
            row.month.strftime("%Y-%m"),
            row.label,
            row.figures.currency,
            row.figures.count,
            row.figures.net,
            row.figures.vat,
            row.figures.gross,
            row.figures.billable_gross,
            row.figures.own_gross,
        ]
        for row in report.rows
    ]
