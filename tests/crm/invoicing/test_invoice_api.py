"""/api/v1/invoices/: drafts with lines, totals per VAT rate, issue, the rules of an issued invoice."""

from __future__ import annotations

from decimal import Decimal

from crm.invoicing.models import Invoice, InvoiceStatus
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make, line


def _body(customer_id: int, **overrides):
    body = {
        "customer": customer_id,
        "lines": [
            {"name": "Wdrożenie CRM", "quantity": "2", "net_price": "1000.00", "vat_rate": "23"},
            {"name": "Szkolenie", "net_price": "500.00", "vat_rate": "8", "discount_percent": "10"},
        ],
    }
    body.update(overrides)
    return body


def test_szef_creates_a_draft_with_lines_and_gets_totals_per_rate(api_szef, in_a):
    with in_a():
        customer = buyer_make()

    response = api_szef.post("/api/v1/invoices/", _body(customer.pk), content_type="application/json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == ""
    assert data["status"] == "draft"
    assert data["kind"] == "vat"
    assert [line["name"] for line in data["lines"]] == ["Wdrożenie CRM", "Szkolenie"]
    assert data["net_total"] == "2450.00"  # 2000 + 450 after the 10% discount
    assert data["vat_total"] == "496.00"  # 460 (23%) + 36 (8%)
    assert data["gross_total"] == "2946.00"
    assert data["totals_by_rate"] == [
        {"vat_rate": "23", "net": "2000.00", "vat": "460.00", "gross": "2460.00"},
        {"vat_rate": "8", "net": "450.00", "vat": "36.00", "gross": "486.00"},
    ]


def test_issue_gives_the_next_number_and_an_issued_invoice_cannot_be_changed(api_szef, in_a):
    with in_a():
        invoice = draft_make()

    issued = api_szef.post(f"/api/v1/invoices/{invoice.pk}/issue/")
    again = api_szef.post(f"/api/v1/invoices/{invoice.pk}/issue/")
    patched = api_szef.patch(f"/api/v1/invoices/{invoice.pk}/", {"notes": "zmiana"}, content_type="application/json")

    assert issued.status_code == 200, issued.content
    assert issued.json()["number"].startswith("FV/")
    assert issued.json()["status"] == "issued"
    assert again.status_code == 400 and "status" in again.json()
    assert patched.status_code == 400
    assert "korygującą" in patched.json()["status"][0]
    with in_a():
        assert Invoice.objects.get(pk=invoice.pk).notes == ""


def test_a_zw_line_without_the_exemption_basis_is_refused_and_nothing_is_saved(api_szef, in_a):
    with in_a():
        customer = buyer_make()
    body = _body(customer.pk, lines=[{"name": "Szkolenie BHP", "net_price": "300.00", "vat_rate": "zw"}])

    response = api_szef.post("/api/v1/invoices/", body, content_type="application/json")

    assert response.status_code == 400
    assert "exemption_basis" in response.json()
    with in_a():
        assert not Invoice.objects.exists()


def test_correction_totals_are_after_minus_before_and_may_be_negative(api_szef, in_a):
    with in_a():
        invoice = issued_make(lines=[line("Licencja", "1000.00", quantity=Decimal(3))])

    response = api_szef.post(
        f"/api/v1/invoices/{invoice.pk}/correct/",
        {"reason": "Zwrot jednej licencji", "lines": [{"name": "Licencja", "quantity": "2", "net_price": "1000.00"}]},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "correction"
    assert data["corrects"] == invoice.pk
    assert data["net_total"] == "-1000.00"
    assert data["vat_total"] == "-230.00"
    assert data["gross_total"] == "-1230.00"
    assert [row["quantity"] for row in data["lines_before"]] == ["3.0000"]
    issued = api_szef.post(f"/api/v1/invoices/{data['id']}/issue/")
    assert issued.status_code == 200, issued.content
    assert issued.json()["number"].startswith("KOR/")
    with in_a():
        assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.ISSUED
