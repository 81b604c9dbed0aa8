"""The "Niezapłacone" list with ageing buckets, the sales report per month, customer and
VAT rate, and their CSV exports through the one export writer (logged, open while locked)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from freezegun import freeze_time

from crm.activity.models import ActivityEntry
from crm.invoicing.models import InvoiceKind, InvoiceStatus
from crm.invoicing.reports import sales_report
from crm.invoicing.unpaid import ageing_by_customer, ageing_totals, unpaid_invoices
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.payments_factories import InvoiceFactory, PaymentFactory, correction_make

TODAY = date(2026, 12, 3)


def _due(days_past: int) -> date:
    return TODAY - timedelta(days=days_past)


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _ageing_rows(in_a, szef) -> None:
    """One invoice in every bucket (1 230,00 PLN each) for Śrubex, one EUR invoice for Kowalski."""
    with in_a():
        srubex = CustomerFactory(name="Hurtownia Śrubex")
        kowalski = CustomerFactory(name="Kowalski S.A.")
        for days in (-5, 0, 30, 31, 60, 61, 90, 91, 400):
            InvoiceFactory(customer=srubex, due_date=_due(days))
        partly = InvoiceFactory(customer=srubex, due_date=_due(45), paid_total="230.00")
        PaymentFactory(invoice=partly, amount="230.00")
        InvoiceFactory(customer=srubex, due_date=_due(45), status=InvoiceStatus.PAID, paid_total="1230.00")
        InvoiceFactory(customer=srubex, due_date=_due(45), status=InvoiceStatus.DRAFT, number="")
        InvoiceFactory(customer=kowalski, due_date=_due(10), currency="EUR", lines=[("Licencja", "100.00", "23")])


@freeze_time("2026-12-03 10:00:00")
def test_ageing_buckets_per_customer_and_totals_per_currency(in_a, szef):
    _ageing_rows(in_a, szef)
    with in_a():
        qs = unpaid_invoices(szef, today=TODAY)
        totals = {row.currency: row for row in ageing_totals(qs, today=TODAY)}
        customers = ageing_by_customer(qs, today=TODAY)

    pln = totals["PLN"].buckets
    assert pln == {
        "not_due": Decimal("1230.00"),
        "0_30": Decimal("2460.00"),  # due today and 30 days ago
        "31_60": Decimal("3460.00"),  # 31, 60 and the partly paid one at 45 (1 000 left)
        "61_90": Decimal("2460.00"),
        "90_plus": Decimal("2460.00"),  # 91 and 400
    }
    assert totals["EUR"].buckets["0_30"] == Decimal("123.00")
    assert list(totals) == ["PLN", "EUR"]
    assert [(row.customer_name, row.currency) for row in customers] == [
        ("Hurtownia Śrubex", "PLN"),
        ("Kowalski S.A.", "EUR"),
    ]
    assert customers[0].total == Decimal("12070.00") and customers[0].count == 10


@freeze_time("2026-12-03 10:00:00")
def test_a_correction_lowers_what_is_left_and_a_converted_proforma_is_not_a_debt(in_a, szef):
    with in_a():
        invoice = InvoiceFactory(due_date=_due(5))
        correction_make(invoice, before=[("Usługa", "1000.00", "23")], after=[("Usługa", "500.00", "23")])
        proforma = InvoiceFactory(kind=InvoiceKind.PROFORMA, due_date=_due(5))
        InvoiceFactory(from_proforma=proforma, due_date=_due(5))

        left = {inv.pk: inv.left for inv in unpaid_invoices(szef, today=TODAY)}

    assert left[invoice.pk] == Decimal("615.00")
    assert proforma.pk not in left


@freeze_time("2026-12-03 10:00:00")
def test_unpaid_page_shows_buckets_and_filters_by_bucket(client_a, szef, in_a):
    _ageing_rows(in_a, szef)
    client_a.login_as(szef)

    page = client_a.get("/invoices/unpaid/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hurtownia Śrubex" in html and "Ponad 90 dni" in html
    assert "3\xa0460,00 PLN" in html

    only_old = client_a.get("/invoices/unpaid/", {"bucket": "90_plus"})
    assert only_old.content.decode().count('data-testid="unpaid-row"') == 2
    assert client_a.get("/invoices/unpaid/", {"bucket": "1000"}).status_code == 400


@freeze_time("2026-12-03 10:00:00")
def test_unpaid_csv_is_logged_safe_and_allowed_while_locked(client_a, szef, in_a):
    with in_a():
        InvoiceFactory(customer=CustomerFactory(name="=HYPERLINK(1)"), number="FV/1", due_date=_due(70))
    client_a.login_as(szef)

    response = client_a.get("/invoices/unpaid/csv/", {"bucket": "61_90"})

    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0][0] == "numer"
    assert rows[1][0] == "FV/1" and rows[1][2] == "'=HYPERLINK(1)"
    assert rows[1][5:] == ["70", "61–90 dni", "PLN", "1230.00", "0.00", "1230.00"]
    with in_a():
        entry = ActivityEntry.objects.get(code="export")
        assert entry.params["rows"] == 1 and entry.params["filters"] == {"bucket": "61_90"}


def test_unpaid_api_lists_invoices_and_ageing(api_szef, in_a):
    with in_a():
        InvoiceFactory(due_date=timezone.localdate() - timedelta(days=35))
        InvoiceFactory(due_date=timezone.localdate() + timedelta(days=3))

    listed = api_szef.get("/api/v1/unpaid-invoices/", {"bucket": "31_60"}).json()["results"]
    ageing = api_szef.get("/api/v1/unpaid-invoices/ageing/").json()

    assert [(r["bucket"], r["days_past_due"], r["left"]) for r in listed] == [("31_60", 35, "1230.00")]
    assert ageing["totals"][0]["buckets"]["not_due"] == "1230.00"
    assert ageing["totals"][0]["buckets"]["31_60"] == "1230.00"
    assert api_szef.get("/api/v1/unpaid-invoices/", {"bucket": "x"}).status_code == 400


def test_restricted_pracownik_sees_only_his_customers_debts(api_restricted_pracownik, pracownik, in_a):
    with in_a():
        own = InvoiceFactory(customer=CustomerFactory(owner=pracownik), due_date=timezone.localdate())
        InvoiceFactory(due_date=timezone.localdate())

    listed = api_restricted_pracownik.get("/api/v1/unpaid-invoices/").json()["results"]

    assert [r["id"] for r in listed] == [own.pk]


# --- sales report ---------------------------------------------------------------------------------


def _sales_rows(in_a):
    with in_a():
        srubex = CustomerFactory(name="Hurtownia Śrubex")
        kowalski = CustomerFactory(name="Kowalski S.A.")
        october = InvoiceFactory(
            customer=srubex,
            issue_date=date(2026, 10, 5),
            lines=[("Usługa", "1000.00", "23"), ("Książka", "100.00", "5")],  # 1 230 + 105 = 1 335
        )
        PaymentFactory(invoice=october, amount="1335.00")
        october.paid_total = Decimal("1335.00")
        october.save()
        november = InvoiceFactory(customer=kowalski, issue_date=date(2026, 11, 20), lines=[("Usługa", "500.00", "8")])
        PaymentFactory(invoice=november, amount="200.00")
        november.paid_total = Decimal("200.00")
        november.save()
        correction_make(
            november,
            issue_date=date(2026, 11, 25),
            before=[("Usługa", "500.00", "8")],
            after=[("Usługa", "400.00", "8")],
        )  # −108
        InvoiceFactory(
            customer=kowalski, issue_date=date(2026, 11, 21), currency="EUR", lines=[("Licencja", "10.00", "23")]
        )
        InvoiceFactory(customer=kowalski, issue_date=date(2026, 11, 22), kind=InvoiceKind.PROFORMA)  # not a sale
        InvoiceFactory(customer=kowalski, issue_date=date(2026, 11, 23), status=InvoiceStatus.DRAFT, number="")
        InvoiceFactory(customer=kowalski, issue_date=date(2025, 12, 1))  # outside the period


def test_sales_report_per_month_customer_and_vat_rate(in_a, szef):
    _sales_rows(in_a)
    with in_a():
        report = sales_report(szef, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))

    def rows(section):
        return [(r.key, r.currency, r.invoiced, r.paid, r.outstanding) for r in report.sections[section]]

    assert rows("month") == [
        ("2026-10", "PLN", Decimal("1335.00"), Decimal("1335.00"), Decimal("0.00")),
        ("2026-11", "PLN", Decimal("432.00"), Decimal("200.00"), Decimal("232.00")),  # 540 − 108
        ("2026-11", "EUR", Decimal("12.30"), Decimal("0.00"), Decimal("12.30")),
    ]
    customers = {(r.label, r.currency): (r.invoiced, r.count) for r in report.sections["customer"]}
    assert customers[("Hurtownia Śrubex", "PLN")] == (Decimal("1335.00"), 1)
    assert customers[("Kowalski S.A.", "PLN")] == (Decimal("432.00"), 2)
    rates = {(r.key, r.currency): (r.invoiced, r.paid) for r in report.sections["vat_rate"]}
    assert rates[("23", "PLN")] == (Decimal("1230.00"), Decimal("1230.00"))
    assert rates[("5", "PLN")] == (Decimal("105.00"), Decimal("105.00"))
    assert rates[("8", "PLN")] == (Decimal("432.00"), Decimal("200.00"))
    assert rates[("23", "EUR")] == (Decimal("12.30"), Decimal("0.00"))
    assert [(t.currency, t.invoiced, t.outstanding) for t in report.totals] == [
        ("PLN", Decimal("1767.00"), Decimal("232.00")),
        ("EUR", Decimal("12.30"), Decimal("12.30")),
    ]


def test_sales_report_page_csv_and_api(client_a, api_szef, szef, in_a):
    _sales_rows(in_a)
    client_a.login_as(szef)
    period = {"date_from": "2026-01-01", "date_to": "2026-12-31"}

    page = client_a.get("/invoices/sales-report/", period)
    assert page.status_code == 200 and "Kowalski S.A." in page.content.decode()

    response = client_a.get("/invoices/sales-report/csv/", period)
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0] == ["sekcja", "klucz", "nazwa", "waluta", "liczba faktur", "zafakturowano", "zapłacono", "pozostało"]
    assert ["Według miesięcy", "2026-11", "2026-11", "PLN", "2", "432.00", "200.00", "232.00"] in rows
    with in_a():
        assert ActivityEntry.objects.filter(code="export", params__title="Raport sprzedaży (faktury)").count() == 1

    api = api_szef.get("/api/v1/sales-report/", period).json()
    assert {"section": "vat_rate", "key": "5", "currency": "PLN", "invoiced": "105.00", "paid": "105.00"} in [
        {k: row[k] for k in ("section", "key", "currency", "invoiced", "paid")} for row in api["rows"]
    ]
    assert (
        api_szef.get("/api/v1/sales-report/", {"date_from": "2026-12-31", "date_to": "2026-01-01"}).status_code == 400
    )
    assert client_a.get("/invoices/sales-report/", {"date_from": "jutro"}).status_code == 400
