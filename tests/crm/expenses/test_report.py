"""The monthly expense report: figures per month and category, billable against own
costs, currencies apart, the chart, the CSV through the one export writer."""

from __future__ import annotations

import csv
import html
import io
from datetime import date
from decimal import Decimal

import pytest

from crm.activity.models import ActivityEntry
from crm.expenses.report import default_period, expense_report
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import company_set
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.expenses.factories import ExpenseCategoryFactory, ExpenseFactory

D = Decimal
NBSP = "\xa0"


def _amounts(net: str, vat: str) -> dict[str, Decimal]:
    return {"amount": D(net), "vat_amount": D(vat), "gross_amount": D(net) + D(vat)}


@pytest.fixture
def book(in_a, szef, pracownik):
    """October: fuel 100+23 (own), fuel 200+46 (billable); November: software 50+11.50
    (own), travel 300+24 billable, an EUR expense 10+2.30; and one of the Pracownik's."""
    with in_a():
        fuel = ExpenseCategoryFactory(name="Paliwo R", color="#d35400", position=1)
        software = ExpenseCategoryFactory(name="Oprogramowanie R", color="#8e44ad", position=2)
        client = CustomerFactory(owner=szef)
        ExpenseFactory(category=fuel, date=date(2026, 10, 3), owner=szef, **_amounts("100", "23"))
        ExpenseFactory(category=fuel, date=date(2026, 10, 30), owner=szef, customer=client, billable=True,
                       **_amounts("200", "46"))  # fmt: skip
        ExpenseFactory(category=software, date=date(2026, 11, 1), owner=szef, **_amounts("50", "11.50"))
        ExpenseFactory(date=date(2026, 11, 15), owner=szef, customer=client, billable=True, vat_rate="8",
                       **_amounts("300", "24"))  # fmt: skip
        ExpenseFactory(category=fuel, date=date(2026, 11, 16), owner=szef, currency="EUR", **_amounts("10", "2.30"))
        ExpenseFactory(category=software, date=date(2026, 11, 20), owner=pracownik, created_by=pracownik,
                       **_amounts("1000", "230"))  # fmt: skip
        ExpenseFactory(category=fuel, date=date(2026, 12, 1), owner=szef, **_amounts("999", "0"))  # after the period
    return {"fuel": fuel, "software": software}


def test_figures_per_month_and_category_with_billable_and_own_costs(in_a, szef, book):
    with in_a():
        report = expense_report(user=szef, date_from=date(2026, 10, 1), date_to=date(2026, 11, 30))

    october, november = report.months
    assert [(r.label, r.figures.currency, r.figures.count) for r in october.rows] == [("Paliwo R", "PLN", 2)]
    fuel_october = october.rows[0].figures
    assert (fuel_october.net, fuel_october.vat, fuel_october.gross) == (D("300"), D("69"), D("369"))
    assert (fuel_october.billable_gross, fuel_october.own_gross) == (D("246"), D("123"))
    assert [(r.label, r.figures.currency) for r in november.rows] == [
        ("Paliwo R", "EUR"),
        ("Oprogramowanie R", "PLN"),
        ("Bez kategorii", "PLN"),
    ]
    pln = next(t for t in november.totals if t.currency == "PLN")
    assert (pln.count, pln.net, pln.vat, pln.gross) == (3, D("1350"), D("265.50"), D("1615.50"))
    assert (pln.billable_gross, pln.own_gross) == (D("324"), D("1291.50"))
    assert [(t.currency, t.gross) for t in report.totals] == [("PLN", D("1984.50")), ("EUR", D("12.30"))]


def test_the_report_of_a_pracownik_counts_only_his_expenses(in_a, pracownik, book):
    with in_a():
        report = expense_report(user=pracownik, date_from=date(2026, 10, 1), date_to=date(2026, 11, 30))

    assert [(t.currency, t.gross) for t in report.totals] == [("PLN", D("1230"))]


def test_the_default_period_is_the_last_twelve_months():
    assert default_period(date(2026, 12, 3)) == (date(2026, 1, 1), date(2026, 12, 3))
    assert default_period(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))


def test_the_report_page_shows_totals_charts_and_the_table(client_a, szef, book):
    response = client_a.login_as(szef).get("/expenses/report/?date_from=2026-10-01&date_to=2026-11-30")

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"1{NBSP}984,50" in page.split('data-testid="total-gross-PLN"')[1][:60]
    assert "570,00" in page.split('data-testid="total-billable-PLN"')[1][:60]
    assert page.count('<svg class="chart"') == 2 and "Brutto według kategorii (PLN)" in page
    month_total = page.split('data-testid="report-month-total-2026-11-PLN"')[1].split("</tr>")[0]
    assert f"1{NBSP}615,50" in month_total and "324,00" in month_total
    assert 'data-testid="report-month-2026-10"' in page


def test_a_category_filter_narrows_the_report(client_a, szef, book):
    page = client_a.login_as(szef).get(
        f"/expenses/report/?date_from=2026-10-01&date_to=2026-11-30&category={book['software'].pk}"
    )
    text = html.unescape(page.content.decode())
    assert "Oprogramowanie R" in text and "Bez kategorii</span>" not in text


def test_bad_report_filters_are_a_400_with_the_reason(client_a, szef):
    response = client_a.login_as(szef).get("/expenses/report/?date_from=2026-11-30&date_to=2026-10-01")

    assert response.status_code == 400
    assert "Data końcowa jest wcześniejsza niż początkowa." in response.content.decode()
    assert client_a.get("/expenses/report/csv/?date_from=nie-data").status_code == 400


def test_the_csv_has_a_row_per_month_category_and_currency_and_is_logged(client_a, szef, in_a, book):
    response = client_a.login_as(szef).get("/expenses/report/csv/?date_from=2026-10-01&date_to=2026-11-30")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "wydatki-miesiecznie-2026-10-01_2026-11-30.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "miesiąc",
        "kategoria",
        "waluta",
        "liczba",
        "netto",
        "VAT",
        "brutto",
        "do refakturowania (brutto)",
        "koszty własne (brutto)",
    ]
    assert rows[1] == ["2026-10", "Paliwo R", "PLN", "2", "300.00", "69.00", "369.00", "246.00", "123.00"]
    assert len(rows) == 5
    with in_a():
        entry = ActivityEntry.objects.get(code="export")
        assert entry.params["what"] == "report" and entry.params["rows"] == 4


def test_the_exports_still_work_while_the_company_is_suspended(client_a, szef, company_a, book):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    client_a.login_as(szef)

    assert client_a.get("/expenses/report/csv/").status_code == 200
    assert client_a.get("/expenses/export.csv").status_code == 200
    assert client_a.get("/expenses/report/").status_code == 403
