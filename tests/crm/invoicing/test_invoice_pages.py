"""Invoice pages: the list with filters, the form with lines, the card and its buttons."""

from __future__ import annotations

from decimal import Decimal

from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make, line


def _form(customer_id, *lines, **overrides):
    data = {
        "kind": "vat",
        "customer": str(customer_id),
        "issue_date": "",
        "sale_date": "",
        "due_date": "",
        "payment_method": "transfer",
        "currency": "PLN",
        "exchange_rate": "",
        "place_of_issue": "Warszawa",
        "exemption_basis": "",
        "notes": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(lines):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    data.update(overrides)
    return data


ROW = {"name": "Wdrożenie CRM", "quantity": "2", "unit": "szt.", "net_price": "1 234,50", "vat_rate": "23"}


def test_szef_drafts_an_invoice_with_polish_amounts_and_sees_the_totals_on_its_card(client_a, szef, in_a):
    with in_a():
        customer = buyer_make(name="Łódzka Fabryka Okien")
    client_a.login_as(szef)

    second = {**ROW, "name": "Szkolenie", "quantity": "1", "vat_rate": "8", "net_price": "500"}
    response = client_a.post("/invoices/new/", _form(customer.pk, ROW, second))

    with in_a():
        invoice = Invoice.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/invoices/{invoice.pk}/"
    assert invoice.net_total == Decimal("2969.00")
    page = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    assert "Łódzka Fabryka Okien" in page
    assert "3\xa0576,87 PLN" in page  # gross: 2469 + 23% and 500 + 8%, Polish format
    assert 'data-testid="invoice-issue"' in page


def test_a_form_without_lines_shows_the_error_and_saves_nothing(client_a, szef, in_a):
    with in_a():
        customer = buyer_make()
    client_a.login_as(szef)

    response = client_a.post("/invoices/new/", _form(customer.pk))

    assert response.status_code == 400
    assert 'data-testid="lines-errors"' in response.content.decode()
    with in_a():
        assert not Invoice.objects.exists()


def test_issuing_from_the_card_numbers_the_invoice_and_hides_edit(client_a, szef, in_a):
    with in_a():
        invoice = draft_make()
    client_a.login_as(szef)

    response = client_a.post(f"/invoices/{invoice.pk}/issue/")

    assert response.status_code == 302
    page = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    with in_a():
        invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.number in page
    assert f"/invoices/{invoice.pk}/edit/" not in page
    assert client_a.get(f"/invoices/{invoice.pk}/edit/").status_code == 302  # back to the card, with a message


def test_correction_flow_through_the_pages(client_a, szef, in_a):
    with in_a():
        invoice = issued_make(lines=[line("Licencja", "1000.00", quantity=Decimal(3))])
    client_a.login_as(szef)

    made = client_a.post(f"/invoices/{invoice.pk}/correct/", {"reason": "Zwrot jednej licencji"})

    with in_a():
        correction = Invoice.objects.get(kind=InvoiceKind.CORRECTION)
    assert made.status_code == 302 and made["Location"] == f"/invoices/{correction.pk}/edit/"
    edit_page = client_a.get(made["Location"]).content.decode()
    assert 'data-testid="lines-before"' in edit_page
    data = _form(
        "",
        {"name": "Licencja", "quantity": "2", "unit": "szt.", "net_price": "1000,00", "vat_rate": "23"},
        correction_reason="Zwrot jednej licencji",
    )
    data.pop("kind")
    data.pop("customer")
    saved = client_a.post(f"/invoices/{correction.pk}/edit/", data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    with in_a():
        correction.refresh_from_db()
    assert correction.gross_total == Decimal("-1230.00")


def test_list_filters_by_status_and_search(client_a, szef, in_a):
    with in_a():
        issued = issued_make(customer=buyer_make(name="Piekarnia Żytnia"))
        draft_make(customer=buyer_make(name="Kwiaciarnia Róża"))
    client_a.login_as(szef)

    issued_only = client_a.get("/invoices/?status=issued").content.decode()
    searched = client_a.get("/invoices/?search=zytnia").content.decode()

    assert "Piekarnia Żytnia" in issued_only and "Kwiaciarnia Róża" not in issued_only
    assert issued.number in searched and "Kwiaciarnia Róża" not in searched
