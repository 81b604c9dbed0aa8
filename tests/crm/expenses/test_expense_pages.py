"""The expense pages: list with filters and month totals, the form with the receipt, the
card, deleting, the receipt download, the CSV export, the customer card's tab."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crm.activity.models import ActivityEntry
from crm.expenses.models import Expense, ExpenseCategory
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.expenses.factories import ExpenseCategoryFactory, ExpenseFactory
from tests.crm.expenses.helpers import PDF, pdf_upload

NBSP = "\xa0"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_list_shows_expenses_and_the_totals_of_each_month(client_a, szef, in_a):
    with in_a():
        fuel = ExpenseCategory.objects.get(name="Paliwo i dojazdy")
        ExpenseFactory(name="Tankowanie", category=fuel, date=date(2026, 11, 3), owner=szef, supplier="Orlen")
        ExpenseFactory(name="Myjnia", date=date(2026, 11, 20), owner=szef, amount=Decimal("1000.00"),
                       vat_amount=Decimal("230.00"), gross_amount=Decimal("1230.00"))  # fmt: skip
        ExpenseFactory(name="Parking", date=date(2026, 10, 2), owner=szef)

    response = client_a.login_as(szef).get("/expenses/")

    page = _text(response)
    assert response.status_code == 200
    assert "Tankowanie" in page and "Orlen" in page and "Paliwo i dojazdy" in page
    november = page.split('data-testid="month-2026-11-PLN"')[1].split("</tr>")[0]
    assert f"1{NBSP}100,00" in november and "253,00" in november and f"1{NBSP}353,00" in november
    total = page.split('data-testid="total-PLN"')[1].split("</tr>")[0]
    assert f"1{NBSP}476,00" in total


def test_the_list_filters_by_category_billable_customer_and_dates(client_a, szef, in_a):
    with in_a():
        office = ExpenseCategoryFactory(name="Biuro testowe")
        client = CustomerFactory(owner=szef, name="Klient Refaktura")
        ExpenseFactory(name="Toner", category=office, date=date(2026, 11, 3), owner=szef)
        ExpenseFactory(name="Hotel", customer=client, billable=True, date=date(2026, 11, 5), owner=szef)
        ExpenseFactory(name="Stary wydatek", date=date(2025, 1, 5), owner=szef)
    client_a.login_as(szef)

    by_category = _text(client_a.get(f"/expenses/?category={office.pk}"))
    billable = _text(client_a.get(f"/expenses/?billable=true&customer={client.pk}"))
    by_dates = _text(client_a.get("/expenses/?date_from=2026-11-01&date_to=2026-11-30"))

    assert "Toner" in by_category and "Hotel" not in by_category
    assert "Hotel" in billable and "Toner" not in billable
    assert "Stary wydatek" not in by_dates and "Toner" in by_dates


def test_a_bad_filter_says_what_is_wrong(client_a, szef):
    response = client_a.login_as(szef).get("/expenses/?date_from=2026-11-30&date_to=2026-11-01")

    assert response.status_code == 400
    assert "Data końcowa jest wcześniejsza niż początkowa." in _text(response)


def test_adding_an_expense_with_a_receipt(client_a, szef, customer, in_a, media):
    with in_a():
        fuel = ExpenseCategory.objects.get(name="Paliwo i dojazdy")
    client_a.login_as(szef)
    form = client_a.get(f"/expenses/new/?customer={customer.pk}")
    assert form.status_code == 200 and "Hurtownia Śrubex" in _text(form)

    response = client_a.post(
        "/expenses/new/",
        {
            "name": "Tankowanie — wizyta u klienta",
            "category": fuel.pk,
            "date": "2026-11-05",
            "amount": "",
            "gross_amount": "123,00",
            "vat_rate": "23",
            "currency": "PLN",
            "payment_method": "card",
            "customer": customer.pk,
            "billable": "on",
            "owner": szef.pk,
            "receipt_upload": pdf_upload(),
        },
    )

    assert response.status_code == 302, _text(response)
    with in_a():
        expense = Expense.objects.get(name="Tankowanie — wizyta u klienta")
        assert (expense.amount, expense.vat_amount, expense.gross_amount) == (
            Decimal("100.00"),
            Decimal("23.00"),
            Decimal("123.00"),
        )
        assert expense.billable and expense.customer_id == customer.pk and expense.receipt_name == "paragon.pdf"
    card = _text(client_a.get(response["Location"]))
    assert "paragon.pdf" in card and "123,00 PLN" in card and "Do refakturowania" in card
    download = client_a.get(f"/expenses/{expense.pk}/receipt/")
    assert b"".join(download.streaming_content) == PDF and download["Content-Disposition"].startswith("attachment")
    inline = client_a.get(f"/expenses/{expense.pk}/receipt/?inline=1")
    assert inline["Content-Disposition"].startswith("inline") and inline["Content-Security-Policy"]


def test_the_form_shows_each_problem_next_to_its_field_and_keeps_the_input(client_a, szef, in_a, media):
    response = client_a.login_as(szef).post(
        "/expenses/new/",
        {
            "name": "Szkolenie BHP",
            "date": "2026-11-05",
            "vat_rate": "23",
            "currency": "PLN",
            "payment_method": "transfer",
            "owner": szef.pk,
            "billable": "on",
            "receipt_upload": SimpleUploadedFile("wirus.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )

    page = _text(response)
    assert response.status_code == 400
    assert "Podaj kwotę netto albo brutto." in page
    assert 'value="Szkolenie BHP"' in page
    with in_a():
        assert not Expense.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_refused_receipt_is_shown_on_the_file_field(client_a, szef, in_a, media):
    response = client_a.login_as(szef).post(
        "/expenses/new/",
        {
            "name": "Szkolenie BHP",
            "date": "2026-11-05",
            "amount": "100",
            "vat_rate": "23",
            "currency": "PLN",
            "payment_method": "transfer",
            "owner": szef.pk,
            "receipt_upload": SimpleUploadedFile("wirus.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )

    page = _text(response)
    assert response.status_code == 400
    assert "Ten rodzaj pliku jest niedozwolony" in page and 'id="id_receipt_upload_error"' in page
    with in_a():
        assert not Expense.objects.exists()


def test_editing_recomputes_the_vat_and_can_drop_the_receipt(client_a, szef, in_a, media):
    client_a.login_as(szef)
    client_a.post(
        "/expenses/new/",
        {"name": "Abonament", "date": "2026-11-05", "amount": "100", "vat_rate": "23", "currency": "PLN",
         "payment_method": "card", "owner": szef.pk, "receipt_upload": pdf_upload()},
    )  # fmt: skip
    with in_a():
        expense = Expense.objects.get(name="Abonament")
    edit = client_a.get(f"/expenses/{expense.pk}/edit/")
    assert 'name="vat_amount"' in _text(edit) and 'name="receipt_remove"' in _text(edit)

    response = client_a.post(
        f"/expenses/{expense.pk}/edit/",
        {"name": "Abonament roczny", "date": "2026-11-05", "amount": "200", "vat_rate": "8", "vat_amount": "",
         "currency": "PLN", "payment_method": "card", "owner": szef.pk, "receipt_remove": "on"},
    )  # fmt: skip

    assert response.status_code == 302, _text(response)
    with in_a():
        expense.refresh_from_db()
        assert (expense.name, expense.vat_amount, expense.gross_amount) == (
            "Abonament roczny",
            Decimal("16.00"),
            Decimal("216.00"),
        )
        assert not expense.receipt
        codes = set(ActivityEntry.objects.filter(object_id=str(expense.pk)).values_list("code", flat=True))
        assert {"expense.created", "expense.receipt_added", "expense.updated", "expense.receipt_removed"} <= codes


def test_deleting_an_expense_asks_first(client_a, szef, in_a):
    with in_a():
        expense = ExpenseFactory(name="Do usunięcia", owner=szef)
    client_a.login_as(szef)

    assert "Usunąć wydatek?" in _text(client_a.get(f"/expenses/{expense.pk}/delete/"))
    assert client_a.post(f"/expenses/{expense.pk}/delete/").status_code == 302
    with in_a():
        assert not Expense.objects.filter(pk=expense.pk).exists()


def test_pracownik_records_his_own_expenses_without_an_owner_field(client_a, pracownik, in_a):
    client_a.login_as(pracownik)
    assert 'name="owner"' not in _text(client_a.get("/expenses/new/"))

    response = client_a.post(
        "/expenses/new/",
        {"name": "Parking", "date": "2026-11-05", "amount": "10", "vat_rate": "23", "currency": "PLN",
         "payment_method": "cash"},
    )  # fmt: skip

    assert response.status_code == 302
    with in_a():
        assert Expense.objects.get(name="Parking").owner_id == pracownik.pk


@pytest.mark.parametrize("suffix", ["", "edit/", "delete/", "receipt/"])
def test_pracownik_gets_a_404_for_someone_elses_expense(client_a, pracownik, szef, in_a, suffix):
    with in_a():
        expense = ExpenseFactory(owner=szef, created_by=szef)

    assert client_a.login_as(pracownik).get(f"/expenses/{expense.pk}/{suffix}").status_code == 404


def test_pracownik_lists_only_his_own_expenses(client_a, pracownik, szef, in_a):
    with in_a():
        ExpenseFactory(name="Mój paragon", owner=pracownik, created_by=pracownik)
        ExpenseFactory(name="Paragon szefa", owner=szef, created_by=szef)

    page = _text(client_a.login_as(pracownik).get("/expenses/"))

    assert "Mój paragon" in page and "Paragon szefa" not in page


@pytest.mark.parametrize("suffix", ["", "edit/", "delete/", "receipt/"])
def test_another_company_gets_a_404_for_every_expense_page(client_b, outsider, szef, in_a, suffix):
    with in_a():
        expense = ExpenseFactory(owner=szef, created_by=szef)

    assert client_b.login_as(outsider).get(f"/expenses/{expense.pk}/{suffix}").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client_a):
    for url in ("/expenses/", "/expenses/new/", "/expenses/report/", "/expenses/export.csv"):
        response = client_a.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_export_is_the_filtered_list_as_csv_and_is_logged(client_a, szef, pracownik, in_a):
    with in_a():
        ExpenseFactory(name='=HYPERLINK("x")', owner=szef, supplier="Orlen", date=date(2026, 11, 3))
        ExpenseFactory(name="Poza filtrem", owner=szef, date=date(2025, 1, 1))
        ExpenseFactory(name="Pracownika", owner=pracownik, created_by=pracownik, date=date(2026, 11, 4))

    response = client_a.login_as(szef).get("/expenses/export.csv?date_from=2026-11-01")
    text = b"".join(response.streaming_content).decode("utf-8-sig")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = text.strip().splitlines()
    assert lines[0].startswith("id;data;nazwa;kategoria;netto;stawka VAT;VAT;brutto")
    assert len(lines) == 3 and "Poza filtrem" not in text
    assert "'=HYPERLINK" in text  # a formula is never exported as a formula
    with in_a():
        entry = ActivityEntry.objects.get(code="export")
        assert entry.params["what"] == "expenses" and entry.params["rows"] == 2


def test_the_customer_card_has_an_expenses_tab(client_a, szef, pracownik, customer, in_a):
    with in_a():
        ExpenseFactory(name="Nocleg u klienta", customer=customer, billable=True, owner=szef)
        ExpenseFactory(name="Dojazd do klienta", customer=customer, owner=pracownik, created_by=pracownik)

    page = _text(client_a.login_as(szef).get(f"/customers/{customer.pk}/?tab=expenses"))

    assert "Nocleg u klienta" in page and "Dojazd do klienta" in page
    billable = page.split('data-testid="customer-billable"')[1].split("</p>")[0]
    assert "Do refakturowania" in billable and "123,00 PLN" in billable
    assert f"/expenses/new/?customer={customer.pk}" in page


def test_the_customer_tab_shows_a_pracownik_only_his_expenses(client_a, szef, pracownik, in_a):
    with in_a():
        client = CustomerFactory(owner=pracownik)
        ExpenseFactory(name="Szefa", customer=client, owner=szef, created_by=szef)
        ExpenseFactory(name="Pracownika", customer=client, owner=pracownik, created_by=pracownik)

    page = _text(client_a.login_as(pracownik).get(f"/customers/{client.pk}/?tab=expenses"))

    assert "Pracownika" in page and "Szefa" not in page


def test_the_menu_leads_to_expenses(client_a, pracownik):
    page = _text(client_a.login_as(pracownik).get("/expenses/"))
    assert 'href="/expenses/"' in page and "Wydatki" in page
