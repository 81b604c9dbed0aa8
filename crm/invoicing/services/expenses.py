"""Billable expenses on a draft invoice ("bill expenses"): each chosen expense becomes a
line at cost (its name, net amount and VAT rate: crm.expenses.selectors.expense_invoice_line)
and is marked as on this invoice, so it is offered to no other invoice. Taking it off the
draft (or deleting the draft) makes it billable again; an issued invoice keeps it for good.

Only a VAT invoice takes expenses (a pro-forma is not a sale: its VAT invoice would). The
expenses must be billable, not on an invoice yet, of the invoice's customer and currency,
and ones the person sees; any other id is refused as a whole (nothing changes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.contacts.models import Customer
from crm.expenses.models import Expense
from crm.expenses.selectors import billable_expenses_for, expense_invoice_line
from crm.expenses.services import expense_mark_invoiced, expense_release_invoiced
from crm.invoicing.models import Invoice, InvoiceKind
from crm.invoicing.services.common import LineData


def expense_line(expense: Expense) -> LineData:
    line: dict[str, Any] = expense_invoice_line(expense)
    return LineData(
        name=str(line["name"]),
        net_price=Decimal(line["net_price"]),
        quantity=Decimal(line["quantity"]),
        unit=str(line["unit"]),
        vat_rate=str(line["vat_rate"]),
    )


def expenses_pick(
    *, actor: User | None, customer: Customer, currency: str, kind: str, ids: Iterable[int]
) -> list[Expense]:
    """The billable expenses `ids` for an invoice of `customer` in `currency`, oldest first;
    ValidationError on "expenses" when one of them cannot go on it."""
    wanted = {int(pk) for pk in ids}
    if not wanted:
        return []
    if kind != InvoiceKind.VAT:
        raise ValidationError({"expenses": _("Wydatki dolicza się do faktury VAT, nie do faktury pro forma.")})
    found = list(billable_expenses_for(customer, user=actor, currency=currency).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError(
            {
                "expenses": _(
                    "Wybierz wydatki z listy: do faktury można doliczyć tylko wydatki tego klienta do refakturowania, "
                    "w walucie faktury i jeszcze niezafakturowane."
                )
            }
        )
    return found


def expenses_mark(*, invoice: Invoice, expenses: Sequence[Expense], actor: User | None) -> None:
    for expense in expenses:
        expense_mark_invoiced(expense=expense, invoice_id=invoice.pk, actor=actor)


def expenses_of(invoice: Invoice) -> list[Expense]:
    return list(Expense.objects.filter(invoiced_id=invoice.pk).order_by("date", "id"))


def _without_line_of(lines: list[LineData], expense: Expense) -> list[LineData]:
    """`lines` less the first line that is `expense`'s (if the person has not removed it already)."""
    own = expense_line(expense)
    for index, line in enumerate(lines):
        if (line.name, line.net_price, line.quantity, line.vat_rate) == (
            own.name,
            own.net_price,
            own.quantity,
            own.vat_rate,
        ):
            return lines[:index] + lines[index + 1 :]
    return lines


def expenses_change(
    *,
    invoice: Invoice,
    actor: User | None,
    wanted_ids: Iterable[int],
    lines: Sequence[LineData],
    customer: Customer,
    currency: str,
    kind: str,
) -> tuple[list[LineData], list[Expense], list[Expense]]:
    """For a draft being changed to carry exactly `wanted_ids`: its new lines (those of
    expenses taken off removed, those of new ones added), the expenses to mark and those
    to release (the caller does both once the invoice is saved)."""
    current = expenses_of(invoice)
    wanted = {int(pk) for pk in wanted_ids}
    released = [e for e in current if e.pk not in wanted]
    kept = [e for e in current if e.pk in wanted]
    added = expenses_pick(
        actor=actor, customer=customer, currency=currency, kind=kind, ids=wanted - {e.pk for e in current}
    )
    if kept and (kind != InvoiceKind.VAT or customer.pk != invoice.customer_id or currency != invoice.currency):
        raise ValidationError(
            {
                "expenses": _(
                    "Na fakturze są doliczone wydatki: zdejmij je, zanim zmienisz klienta, walutę lub rodzaj faktury."
                )
            }
        )
    new_lines = list(lines)
    for expense in released:
        new_lines = _without_line_of(new_lines, expense)
    new_lines += [expense_line(e) for e in added]
    return new_lines, added, released


def expenses_release(*, expenses: Sequence[Expense], actor: User | None) -> None:
    for expense in expenses:
        expense_release_invoiced(expense=expense, actor=actor)
