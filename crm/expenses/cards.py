"""Expenses on other records' cards: the "Wydatki" tab of the customer card and the
expenses an invoice passes on (registered in `ExpensesConfig.ready`). A project's card gets the same once projects exist."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.expenses.selectors import expense_month_totals, expense_totals_by_currency, expenses_visible_to

TAB_LIST_LIMIT = 100


def _customer_expenses(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    expenses = expenses_visible_to(request.user).filter(customer=customer)
    rows = list(expenses.select_related("category", "owner").order_by("-date", "-id")[:TAB_LIST_LIMIT])
    billable = expenses.filter(billable=True, invoiced__isnull=True)
    return {
        "expenses": rows,
        "expense_totals": expense_totals_by_currency(expense_month_totals(expenses)),
        "billable_totals": expense_totals_by_currency(expense_month_totals(billable)),
    }


def _invoice_expenses(request: AuthedRequest, invoice: Any) -> dict[str, Any]:
    """The billable expenses passed on by this invoice (those the person sees)."""
    rows = expenses_visible_to(request.user).filter(invoiced=invoice).select_related("category").order_by("date", "id")
    return {"billed_expenses": list(rows)}


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="expenses",
            label=_("Wydatki"),
            template="expenses/customer_tab.html",
            context=_customer_expenses,
            place="tab",
            order=60,
        )
    )
    card_section_register(
        CardSection(
            host="invoice",
            key="expenses",
            label=_("Doliczone wydatki"),
            template="expenses/invoice_section.html",
            context=_invoice_expenses,
            place="side",
            order=60,
        )
    )
