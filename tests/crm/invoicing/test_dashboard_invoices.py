"""The home page's "Faktury" block (issued, paid, overdue in 3/7/30 days) and its figures
in /api/v1/dashboard/; a block Szef can put on any rank's home page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from freezegun import freeze_time

from crm.dashboard.widgets import DEFAULT_LAYOUTS, WIDGETS
from crm.invoicing.models import InvoiceStatus
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.payments_factories import InvoiceFactory, PaymentFactory

TODAY = date(2026, 12, 3)


def _rows(in_a, owner=None):
    with in_a():
        customer = CustomerFactory(owner=owner) if owner else CustomerFactory()
        InvoiceFactory(customer=customer, issue_date=TODAY - timedelta(days=1))  # in 3, 7, 30
        InvoiceFactory(customer=customer, issue_date=TODAY - timedelta(days=10), currency="EUR")  # in 30
        PaymentFactory(invoice=InvoiceFactory(customer=customer, issue_date=TODAY - timedelta(days=40)), paid_at=TODAY)
        old = TODAY - timedelta(days=60)
        InvoiceFactory(
            customer=customer, status=InvoiceStatus.OVERDUE, issue_date=old, due_date=TODAY - timedelta(days=2)
        )
        InvoiceFactory(
            customer=customer, status=InvoiceStatus.OVERDUE, issue_date=old, due_date=TODAY - timedelta(days=50)
        )
        InvoiceFactory(customer=customer, status=InvoiceStatus.DRAFT, number="", issue_date=TODAY)


@freeze_time("2026-12-03 10:00:00")
def test_the_api_gives_the_invoice_figures_per_window(api_szef, in_a):
    _rows(in_a)

    week = api_szef.get("/api/v1/dashboard/", {"days": 7}).json()["invoices"]
    month = api_szef.get("/api/v1/dashboard/", {"days": 30}).json()["invoices"]

    assert week["days"] == 7
    assert week["issued"] == {"count": 1, "value": {"PLN": 1230.0}}
    assert month["issued"] == {"count": 2, "value": {"PLN": 1230.0, "EUR": 1230.0}}
    assert week["paid"] == {"count": 1, "value": {"PLN": 100.0}}
    assert week["overdue"]["count"] == 1 and month["overdue"]["count"] == 1
    assert week["overdue_all"] == {"count": 2, "value": {"PLN": 2460.0}}


@freeze_time("2026-12-03 10:00:00")
def test_the_block_is_on_szefs_home_page_and_switches_windows(client_a, szef, in_a):
    _rows(in_a)
    client_a.login_as(szef)
    assert "invoices" in WIDGETS and "invoices" in DEFAULT_LAYOUTS["szef"]

    html = client_a.get("/").content.decode()
    assert 'id="w-invoices"' in html and 'data-testid="invoices-issued">1<' in html

    month = client_a.get("/dashboard/widgets/invoices/", {"invoices_days": 30}, HTTP_HX_REQUEST="true")
    assert 'data-testid="invoices-issued">2<' in month.content.decode()


@freeze_time("2026-12-03 10:00:00")
def test_restricted_pracownik_counts_only_his_customers_invoices(api_restricted_pracownik, pracownik, in_a):
    _rows(in_a)
    _rows(in_a, owner=pracownik)

    figures = api_restricted_pracownik.get("/api/v1/dashboard/", {"days": 30}).json()["invoices"]

    assert figures["issued"]["count"] == 2
    assert figures["overdue_all"]["value"] == {"PLN": float(Decimal("2460.00"))}
