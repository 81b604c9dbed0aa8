"""In a real browser: on a new invoice, choosing the customer brings its billable expenses
(htmx); the ticked one becomes the invoice's line and the invoice card lists it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from playwright.sync_api import expect


def _login(page, live_url) -> None:
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_choosing_the_customer_offers_its_billable_expenses_and_a_ticked_one_is_billed(committed, page, live_url):
    from crm.accounts.models import User
    from crm.contacts.models import Customer
    from crm.expenses.models import Expense
    from tenants.db import connection

    connection.set_tenant(committed.a)
    try:
        szef = User.objects.get(email="szef@alfa.test")
        customer = Customer.objects.create(name="Hurtownia Śrubex", owner=szef, tax_id="5260250274")
        expense = Expense.objects.create(
            name="Nocleg w Krakowie",
            date=date(2026, 11, 3),
            amount=Decimal("400.00"),
            vat_rate="8",
            vat_amount=Decimal("32.00"),
            gross_amount=Decimal("432.00"),
            customer=customer,
            billable=True,
            owner=szef,
            created_by=szef,
        )
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)
    page.goto(live_url("alfa", "/invoices/new/"))
    expect(page.get_by_test_id("invoice-expenses")).to_have_count(0)

    page.fill("#id_customer_search", "srubex")
    expect(page.locator("#id_customer option", has_text="Hurtownia Śrubex")).to_have_count(1)
    page.select_option("#id_customer", label="Hurtownia Śrubex")
    box = page.get_by_label(re.compile("Nocleg w Krakowie"))
    expect(box).to_be_visible()
    box.check()
    page.get_by_role("button", name="Zapisz szkic").click()

    page.wait_for_url(re.compile(r"/invoices/\d+/$"))
    expect(page.get_by_test_id("invoice-billed-expenses")).to_contain_text("Nocleg w Krakowie")
    connection.set_tenant(committed.a)
    try:
        expense.refresh_from_db()
        assert expense.invoiced_id is not None
    finally:
        connection.set_schema_to_public()
