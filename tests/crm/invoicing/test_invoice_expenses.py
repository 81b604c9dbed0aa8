"""Billable expenses on an invoice ("bill expenses"): the draft form offers the customer's
billable expenses not yet invoiced; a ticked one becomes a line at cost and is marked as on
that invoice (offered to no other); taking it off makes it billable again. The API takes
`expenses: [ids]` the same way. Someone else's or another company's expense is refused."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from crm.expenses.models import Expense
from crm.invoicing.models import Invoice, InvoiceLine
from tests.crm.expenses.factories import ExpenseFactory
from tests.crm.invoicing.factories import buyer_make, draft_make, line
from tests.crm.invoicing.test_invoice_pages import ROW, _form

pytestmark = pytest.mark.django_db


def _billable(customer, owner, **fields):
    fields.setdefault("name", "Nocleg w Krakowie")
    fields.setdefault("amount", Decimal("400.00"))
    fields.setdefault("vat_rate", "8")
    fields.setdefault("vat_amount", Decimal("32.00"))
    fields.setdefault("gross_amount", Decimal("432.00"))
    return ExpenseFactory(customer=customer, billable=True, owner=owner, date=date(2026, 11, 3), **fields)


def test_the_new_invoice_form_offers_the_customers_billable_expenses(client_a, szef, in_a):
    with in_a():
        customer = buyer_make(owner=szef)
        _billable(customer, szef)
        ExpenseFactory(customer=customer, billable=False, owner=szef, name="Własne paliwo")
        _billable(buyer_make(owner=szef, name="Inny klient"), szef, name="Hotel dla innego")
    client_a.login_as(szef)

    page = client_a.get(f"/invoices/new/?customer={customer.pk}").content.decode()

    assert 'data-testid="invoice-expenses"' in page
    assert "03.11.2026 · Nocleg w Krakowie" in page and "400,00 PLN netto, VAT 8%" in page
    assert "Własne paliwo" not in page and "Hotel dla innego" not in page
    assert 'data-testid="invoice-expenses"' not in client_a.get("/invoices/new/").content.decode()


def test_the_customer_card_leads_to_an_invoice_for_its_billable_expenses(client_a, szef, in_a):
    with in_a():
        customer = buyer_make(owner=szef)
        expense = _billable(customer, szef)
        plain = draft_make(actor=szef, customer=customer)
    client_a.login_as(szef)

    tab = client_a.get(f"/customers/{customer.pk}/?tab=expenses").content.decode()
    card = client_a.get(f"/expenses/{expense.pk}/").content.decode()

    assert f'href="/invoices/new/?customer={customer.pk}" data-testid="customer-bill-expenses"' in tab
    assert f'href="/invoices/new/?customer={customer.pk}" data-testid="expense-bill"' in card
    assert 'data-testid="invoice-billed-expenses"' not in client_a.get(f"/invoices/{plain.pk}/").content.decode()


def test_a_ticked_expense_becomes_a_line_and_is_not_offered_again(client_a, szef, in_a):
    with in_a():
        customer = buyer_make(owner=szef)
        expense = _billable(customer, szef)
    client_a.login_as(szef)

    response = client_a.post("/invoices/new/", _form(customer.pk, ROW, expenses=[str(expense.pk)]))

    assert response.status_code == 302, response.content.decode()[:3000]
    with in_a():
        invoice = Invoice.objects.get()
        expense.refresh_from_db()
        assert expense.invoiced_id == invoice.pk
        lines = list(invoice.lines.order_by("position").values_list("name", "net_price", "vat_rate", "quantity"))
    assert lines[1] == ("Nocleg w Krakowie", Decimal("400.00"), "8", Decimal(1))
    assert invoice.net_total == Decimal("2869.00")  # 2 × 1234.50 + 400
    assert (
        'data-testid="invoice-expenses"' not in client_a.get(f"/invoices/new/?customer={customer.pk}").content.decode()
    )
    card = client_a.get(f"/expenses/{expense.pk}/").content.decode()
    assert f'href="/invoices/{invoice.pk}/" data-testid="expense-invoice"' in card and "na szkicu faktury" in card

    invoice_card = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    assert 'data-testid="invoice-billed-expenses"' in invoice_card and f"/expenses/{expense.pk}/" in invoice_card

    client_a.post(f"/invoices/{invoice.pk}/issue/")

    with in_a():
        invoice.refresh_from_db()
        expense.refresh_from_db()
        assert expense.invoiced_id == invoice.pk
    assert f"na fakturze {invoice.number}" in client_a.get(f"/expenses/{expense.pk}/").content.decode()


def test_an_invoice_may_be_made_of_expenses_alone(client_a, szef, in_a):
    with in_a():
        customer = buyer_make(owner=szef)
        expense = _billable(customer, szef)
    client_a.login_as(szef)
    data = _form(customer.pk, {"name": "", "quantity": "1", "unit": "szt.", "net_price": "", "vat_rate": "23"})

    response = client_a.post("/invoices/new/", {**data, "expenses": [str(expense.pk)]})

    assert response.status_code == 302, response.content.decode()[:3000]
    with in_a():
        invoice = Invoice.objects.get()
        assert list(invoice.lines.values_list("name", flat=True)) == ["Nocleg w Krakowie"]
        assert invoice.gross_total == Decimal("432.00")


def test_unticking_an_expense_on_the_draft_takes_its_line_off_and_frees_it(client_a, szef, in_a):
    with in_a():
        customer = buyer_make(owner=szef)
        expense = _billable(customer, szef)
        invoice = draft_make(actor=szef, customer=customer, lines=[line("Wdrożenie CRM", "1000.00")])
    client_a.login_as(szef)
    page = client_a.get(f"/invoices/{invoice.pk}/edit/").content.decode()
    assert "Nocleg w Krakowie" in page

    rows = [{"name": "Wdrożenie CRM", "quantity": "1", "unit": "szt.", "net_price": "1000", "vat_rate": "23"}]
    added = client_a.post(
        f"/invoices/{invoice.pk}/edit/",
        _form(customer.pk, *rows, expenses=[str(expense.pk)], **{"lines-INITIAL_FORMS": "1"}),
    )
    assert added.status_code == 302, added.content.decode()[:3000]
    with in_a():
        assert Expense.objects.get(pk=expense.pk).invoiced_id == invoice.pk
        assert list(
            InvoiceLine.objects.filter(document=invoice).order_by("position").values_list("name", flat=True)
        ) == [
            "Wdrożenie CRM",
            "Nocleg w Krakowie",
        ]
    page = client_a.get(f"/invoices/{invoice.pk}/edit/").content.decode()
    box = re.search(rf'<input type="checkbox" name="expenses" value="{expense.pk}"[^>]*>', page)
    assert box is not None and "checked" in box.group(0)

    on_it = [*rows, {"name": "Nocleg w Krakowie", "quantity": "1", "unit": "szt.", "net_price": "400", "vat_rate": "8"}]
    data = _form(customer.pk, *on_it, **{"lines-INITIAL_FORMS": "2"})
    response = client_a.post(f"/invoices/{invoice.pk}/edit/", data)

    assert response.status_code == 302
    with in_a():
        assert Expense.objects.get(pk=expense.pk).invoiced_id is None
        assert list(InvoiceLine.objects.filter(document=invoice).values_list("name", flat=True)) == ["Wdrożenie CRM"]


def test_another_companys_expense_is_refused_and_nothing_is_saved(client_a, szef, in_a, company_b, outsider):
    from django_tenants.utils import schema_context

    with in_a():
        customer = buyer_make(owner=szef)
        _billable(customer, szef)
        ours = set(Expense.objects.values_list("pk", flat=True))
    with schema_context(company_b.schema_name):
        their_customer = buyer_make(owner=outsider)
        theirs = [_billable(their_customer, outsider, name="Cudzy hotel") for _ in range(len(ours) + 1)]
    theirs_pk = next(e.pk for e in theirs if e.pk not in ours)  # ids are per company: one A does not have
    client_a.login_as(szef)

    response = client_a.post("/invoices/new/", _form(customer.pk, ROW, expenses=[str(theirs_pk)]))

    assert response.status_code == 400
    assert "Wybierz poprawną wartość" in response.content.decode()
    with in_a():
        assert not Invoice.objects.exists()


def test_pracownik_is_offered_only_his_own_expenses_and_cannot_bill_the_szefs(client_a, szef, pracownik, in_a):
    with in_a():
        customer = buyer_make(owner=pracownik)
        his = _billable(customer, pracownik, name="Parking u klienta")
        szefs = _billable(customer, szef, name="Kolacja z prezesem")
    client_a.login_as(pracownik)

    page = client_a.get(f"/invoices/new/?customer={customer.pk}").content.decode()
    assert "Parking u klienta" in page and "Kolacja z prezesem" not in page

    response = client_a.post("/invoices/new/", _form(customer.pk, ROW, expenses=[str(szefs.pk)]))

    assert response.status_code == 400
    with in_a():
        assert not Invoice.objects.exists()
        assert Expense.objects.get(pk=szefs.pk).invoiced_id is None
        assert Expense.objects.get(pk=his.pk).invoiced_id is None


# --- the API -------------------------------------------------------------------------------


def _body(customer_id, **extra):
    return {"customer": customer_id, "lines": [{"name": "Wdrożenie CRM", "net_price": "1000.00"}], **extra}


def test_the_api_adds_expenses_as_lines_and_marks_them(api_szef, szef, in_a):
    with in_a():
        customer = buyer_make(owner=szef)
        expense = _billable(customer, szef)

    response = api_szef.post(
        "/api/v1/invoices/", _body(customer.pk, expenses=[expense.pk]), content_type="application/json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [row["name"] for row in body["lines"]] == ["Wdrożenie CRM", "Nocleg w Krakowie"]
    assert body["net_total"] == "1400.00"
    with in_a():
        assert Expense.objects.get(pk=expense.pk).invoiced_id == body["id"]

    again = api_szef.post(
        "/api/v1/invoices/", _body(customer.pk, expenses=[expense.pk]), content_type="application/json"
    )
    assert again.status_code == 400 and "expenses" in again.json()

    taken_off = api_szef.patch(f"/api/v1/invoices/{body['id']}/", {"expenses": []}, content_type="application/json")
    assert taken_off.status_code == 200
    assert [row["name"] for row in taken_off.json()["lines"]] == ["Wdrożenie CRM"]
    with in_a():
        assert Expense.objects.get(pk=expense.pk).invoiced_id is None


def test_the_api_refuses_an_expense_of_another_customer_or_currency_or_a_proforma(api_szef, szef, in_a):
    with in_a():
        customer = buyer_make(owner=szef)
        other = _billable(buyer_make(owner=szef, name="Inny"), szef)
        euro = _billable(customer, szef, currency="EUR")
        mine = _billable(customer, szef)

    for body in (
        _body(customer.pk, expenses=[other.pk]),
        _body(customer.pk, expenses=[euro.pk]),
        _body(customer.pk, expenses=[mine.pk], kind="proforma"),
        _body(customer.pk, expenses=[mine.pk, 999999]),
    ):
        response = api_szef.post("/api/v1/invoices/", body, content_type="application/json")
        assert response.status_code == 400, body
        assert "expenses" in response.json()
    with in_a():
        assert not Invoice.objects.exists()
        assert not Expense.objects.filter(invoiced__isnull=False).exists()


def test_the_api_refuses_an_expense_of_the_outsiders_company(api_outsider, outsider, company_b, in_a, szef):
    from django_tenants.utils import schema_context

    with in_a():
        theirs = _billable(buyer_make(owner=szef), szef)
    with schema_context(company_b.schema_name):
        customer = buyer_make(owner=outsider)

    response = api_outsider.post(
        "/api/v1/invoices/", _body(customer.pk, expenses=[theirs.pk]), content_type="application/json"
    )

    assert response.status_code == 400 and "expenses" in response.json()
    with in_a():
        assert Expense.objects.get(pk=theirs.pk).invoiced_id is None
