"""Billable expenses and invoices: what the invoices module asks for and how an expense
becomes (and stops being) invoiced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.activity.models import ActivityEntry
from crm.expenses.models import Expense
from crm.expenses.selectors import billable_expenses_for, expense_invoice_line
from crm.expenses.services import expense_mark_invoiced, expense_release_invoiced
from crm.invoicing.models import Invoice
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.expenses.factories import ExpenseFactory


def _invoice(customer, **fields):
    day = date(2026, 12, 1)
    return Invoice.objects.create(customer=customer, issue_date=day, sale_date=day, due_date=day, **fields)


@pytest.fixture
def billable(in_a, customer, szef):
    with in_a():
        return ExpenseFactory(
            name="Nocleg w Krakowie", customer=customer, billable=True, owner=szef, date=date(2026, 11, 3)
        )


def test_billable_expenses_of_a_customer_are_those_not_yet_invoiced_oldest_first(in_a, customer, szef, billable):
    with in_a():
        older = ExpenseFactory(customer=customer, billable=True, date=date(2026, 10, 1), owner=szef)
        ExpenseFactory(customer=customer, billable=False, owner=szef)
        ExpenseFactory(customer=CustomerFactory(), billable=True, owner=szef)
        euro = ExpenseFactory(customer=customer, billable=True, currency="EUR", owner=szef)
        invoiced = ExpenseFactory(customer=customer, billable=True, owner=szef, invoiced=_invoice(customer))

        found = list(billable_expenses_for(customer))
        in_pln = list(billable_expenses_for(customer.pk, currency="PLN"))

    assert found == [older, billable, euro]
    assert in_pln == [older, billable]
    assert invoiced not in found


def test_billable_expenses_can_be_narrowed_to_what_a_person_sees(in_a, customer, szef, pracownik, billable):
    with in_a():
        his = ExpenseFactory(customer=customer, billable=True, owner=pracownik)
        assert list(billable_expenses_for(customer, user=pracownik)) == [his]


def test_an_expense_becomes_an_invoice_line_at_cost(in_a, billable):
    with in_a():
        line = expense_invoice_line(billable)
    assert line == {
        "name": "Nocleg w Krakowie",
        "quantity": Decimal(1),
        "unit": "szt.",
        "net_price": Decimal("100.00"),
        "vat_rate": "23",
    }


def test_marking_invoiced_links_the_invoice_once_and_logs_it(in_a, customer, szef, billable):
    with in_a():
        invoice = _invoice(customer, number="FV/2026/12/1")
        expense_mark_invoiced(expense=billable, invoice_id=invoice.pk, actor=szef)
        expense_mark_invoiced(expense=billable, invoice_id=invoice.pk, actor=szef)  # again: nothing changes

        assert Expense.objects.get(pk=billable.pk).invoiced_id == invoice.pk
        entries = ActivityEntry.objects.filter(code="expense.invoiced", object_id=str(billable.pk))
        assert entries.count() == 1
        assert "FV/2026/12/1" in entries.get().message
        assert list(billable_expenses_for(customer)) == []


def test_marking_invoiced_is_refused_for_another_invoice_customer_or_a_non_billable_expense(
    in_a, customer, szef, billable
):
    with in_a():
        first, second = _invoice(customer), _invoice(customer)
        foreign = _invoice(CustomerFactory())
        plain = ExpenseFactory(customer=customer, billable=False, owner=szef)

        with pytest.raises(ValidationError, match="innego klienta"):
            expense_mark_invoiced(expense=billable, invoice_id=foreign.pk, actor=szef)
        with pytest.raises(ValidationError, match="tylko wydatek do refakturowania"):
            expense_mark_invoiced(expense=plain, invoice_id=first.pk, actor=szef)
        with pytest.raises(ValidationError, match="Nie ma takiej faktury"):
            expense_mark_invoiced(expense=billable, invoice_id=first.pk + second.pk + 1000, actor=szef)
        expense_mark_invoiced(expense=billable, invoice_id=first.pk, actor=szef)
        with pytest.raises(ValidationError, match="już na innej fakturze"):
            expense_mark_invoiced(expense=billable, invoice_id=second.pk, actor=szef)


def test_an_invoiced_expense_keeps_its_amounts_and_customer_and_cannot_be_deleted(
    in_a, api_szef, client_a, customer, szef, billable
):
    with in_a():
        expense_mark_invoiced(expense=billable, invoice_id=_invoice(customer).pk, actor=szef)
    url = f"/api/v1/expenses/{billable.pk}/"

    amount = api_szef.patch(url, {"amount": "999.00"}, content_type="application/json")
    billable_off = api_szef.patch(url, {"billable": False}, content_type="application/json")
    renamed = api_szef.patch(url, {"name": "Nocleg (2 doby)"}, content_type="application/json")
    deleted = api_szef.delete(url)
    page_delete = client_a.login_as(szef).post(f"/expenses/{billable.pk}/delete/")

    assert amount.status_code == 400 and "już na fakturze" in amount.json()["amount"][0]
    assert billable_off.status_code == 400 and "billable" in billable_off.json()
    assert renamed.status_code == 200
    assert deleted.status_code == 400 and "nie można go usunąć" in str(deleted.json())
    assert page_delete.status_code == 400 and "nie można go usunąć" in page_delete.content.decode()
    with in_a():
        kept = Expense.objects.get(pk=billable.pk)
        assert (kept.amount, kept.billable, kept.name) == (Decimal("100.00"), True, "Nocleg (2 doby)")


def test_a_deleted_draft_invoice_or_a_released_line_makes_the_expense_billable_again(in_a, customer, szef, billable):
    with in_a():
        draft = _invoice(customer)
        expense_mark_invoiced(expense=billable, invoice_id=draft.pk, actor=szef)
        draft.delete()
        assert list(billable_expenses_for(customer)) == [billable]

        expense_mark_invoiced(expense=billable, invoice_id=_invoice(customer).pk, actor=szef)
        expense_release_invoiced(expense=billable, actor=szef)
        assert list(billable_expenses_for(customer)) == [billable]
        assert ActivityEntry.objects.filter(code="expense.released", object_id=str(billable.pk)).exists()
