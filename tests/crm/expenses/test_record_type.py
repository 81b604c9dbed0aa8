"""The expense as a record type: the global search, the customer's timeline, hand-over of
a deactivated person's expenses, and the sample data of the demo company."""

from __future__ import annotations

from datetime import date

from crm.accounts.models import User
from crm.accounts.services import handover_types
from crm.common.records import record_type
from crm.expenses.demo import EXPENSES, expenses_demo_seed
from crm.expenses.models import Expense
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.expenses.factories import ExpenseFactory


def test_the_global_search_finds_expenses_by_name_supplier_or_number_without_diacritics(
    client_a, szef, pracownik, in_a
):
    with in_a():
        ExpenseFactory(name="Nocleg w Łodzi", supplier="Hotel Grand", owner=szef)
        ExpenseFactory(name="Paliwo", supplier="Orlen", reference_number="FV/ŁÓDŹ/77", owner=szef)
        ExpenseFactory(name="Łódzki parking pracownika", owner=pracownik, created_by=pracownik)

    found = client_a.login_as(szef).get("/search/", {"q": "lodz", "partial": "1"}).content.decode()
    his = client_a.login_as(pracownik).get("/search/", {"q": "lodz", "partial": "1"}).content.decode()

    assert "Nocleg w Łodzi" in found and "Paliwo" in found and "Wydatki" in found
    assert "Łódzki parking pracownika" in his and "Nocleg w Łodzi" not in his


def test_a_customers_timeline_shows_its_expenses(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
        ExpenseFactory(name="Dojazd na szkolenie", customer=customer, billable=True, owner=szef)

    page = client_a.login_as(szef).get(f"/customers/{customer.pk}/?tab=timeline").content.decode()

    assert "Dojazd na szkolenie" in page and "do refakturowania" in page


def test_deactivating_a_person_hands_his_expenses_over(client_a, szef, pracownik, kierownik, in_a):
    with in_a():
        ExpenseFactory(owner=pracownik, created_by=pracownik, date=date(2026, 11, 1))
    assert record_type("expense") in handover_types()
    client_a.login_as(szef)
    form = client_a.get(f"/settings/users/{pracownik.pk}/deactivate/").content.decode()
    assert "Wydatki przejmuje" in form

    takers = {f"{t.key_plural}_to": szef.pk for t in handover_types()} | {"expenses_to": kierownik.pk}
    response = client_a.post(f"/settings/users/{pracownik.pk}/deactivate/", takers)

    assert response.status_code == 302
    with in_a():
        assert not User.objects.get(pk=pracownik.pk).is_active
        assert set(Expense.objects.values_list("owner", flat=True)) == {kierownik.pk}


def test_the_demo_company_gets_a_dozen_expenses_over_three_months_once(in_a, szef, pracownik, media):
    with in_a():
        CustomerFactory.create_batch(3)
        assert expenses_demo_seed() == len(EXPENSES) == 12
        assert expenses_demo_seed() == 0
        expenses = list(Expense.objects.all())
        months = {(e.date.year, e.date.month) for e in expenses}
        categories = {e.category_id for e in expenses}
        billable = [e for e in expenses if e.billable]
        with_receipt = [e for e in expenses if e.receipt]

    assert len(months) == 3 and len(categories) >= 6
    assert len(billable) >= 3 and all(e.customer_id for e in billable)
    assert len(with_receipt) == 2
    assert {e.owner_id for e in expenses} == {szef.pk, pracownik.pk}
