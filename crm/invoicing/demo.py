"""Sample invoices of the demo company (called from crm/demo/seed.py after the customers
and the company settings): VAT invoices issued over the last months in PLN and one in EUR,
an exempt one, one with the split-payment mark, a pro-forma, a correction and a draft.

Idempotent: does nothing once the company has any invoice, or while it has no customers.
Exchange rates are typed in (the demo never asks the NBP).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from crm.accounts.models import Role, User
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from crm.invoicing.models import Invoice, InvoiceKind
from crm.invoicing.services import LineData, invoice_correction_create, invoice_create, invoice_issue

COMPANY = {"bank_account": "PL61109010140000071219812874", "place_of_issue": "Dąbrowa Górnicza"}


@dataclass(frozen=True)
class DemoInvoice:
    days_ago: int  # issued this many days before today (None-like -1: left as a draft)
    lines: list[tuple[str, str, str, str]]  # name, quantity, net price, VAT rate
    kind: str = InvoiceKind.VAT
    currency: str = "PLN"
    exchange_rate: str = ""
    exemption_basis: str = ""
    gtu: dict[int, str] = field(default_factory=dict)


INVOICES = [
    DemoInvoice(
        75, [("Wdrożenie CRM – etap 1", "1", "12000.00", "23"), ("Szkolenie użytkowników", "2", "900.00", "23")]
    ),
    DemoInvoice(62, [("Abonament serwisowy – kwiecień", "1", "1200.00", "23")]),
    DemoInvoice(
        48,
        [("Laptop Dell Latitude 5450", "10", "4300.00", "23"), ("Torba na laptopa", "10", "120.00", "23")],
        gtu={0: "GTU_06"},
    ),
    DemoInvoice(
        40,
        [("Szkolenie BHP dla pracowników biurowych", "1", "1800.00", "zw")],
        exemption_basis="art. 43 ust. 1 pkt 29 lit. a ustawy o VAT",
    ),
    DemoInvoice(
        33, [("Server maintenance – Berlin branch", "1", "2400.00", "np")], currency="EUR", exchange_rate="4.2650"
    ),
    DemoInvoice(
        21, [("Projekt strony internetowej", "1", "22000.00", "23"), ("Hosting na 12 miesięcy", "1", "960.00", "23")]
    ),
    DemoInvoice(12, [("Licencje Microsoft 365 Business (12 mies.)", "20", "480.00", "23")], kind=InvoiceKind.PROFORMA),
    DemoInvoice(5, [("Konsultacje wdrożeniowe", "6", "250.00", "23"), ("Książka „Sprzedaż B2B”", "3", "89.00", "5")]),
    DemoInvoice(-1, [("Wdrożenie CRM – etap 2", "1", "14000.00", "23")]),
]


def _lines(demo: DemoInvoice) -> list[LineData]:
    return [
        LineData(name=name, quantity=Decimal(qty), net_price=Decimal(price), vat_rate=rate, gtu=demo.gtu.get(i, ""))
        for i, (name, qty, price, rate) in enumerate(demo.lines)
    ]


def invoices_demo_seed() -> int:
    """Create the sample invoices; returns how many were created."""
    customers = list(Customer.objects.exclude(tax_id="").order_by("id")[:8]) or list(
        Customer.objects.order_by("id")[:8]
    )
    if not customers or Invoice.objects.exists():
        return 0
    settings = CompanySettings.current()
    changed = [name for name, value in COMPANY.items() if not getattr(settings, name)]
    for name in changed:
        setattr(settings, name, COMPANY[name])
    if changed:
        settings.save(update_fields=[*changed, "updated_at"])
    issuer = User.objects.filter(is_active=True, role=Role.SZEF).order_by("id").first()
    today = timezone.localdate()
    made: list[Invoice] = []
    for index, demo in enumerate(INVOICES):
        day = today - timedelta(days=max(demo.days_ago, 0))
        invoice = invoice_create(
            actor=None,
            customer=customers[index % len(customers)],
            lines=_lines(demo),
            kind=demo.kind,
            issue_date=day,
            sale_date=day,
            currency=demo.currency,
            exchange_rate=Decimal(demo.exchange_rate) if demo.exchange_rate else None,
            exemption_basis=demo.exemption_basis,
            owner=issuer,
        )
        if demo.days_ago >= 0:
            invoice = invoice_issue(invoice=invoice, actor=None, today=day)
        made.append(invoice)
    # A correction of the first invoice: one training day less.
    first = made[0]
    correction = invoice_correction_create(
        original=first,
        actor=None,
        reason="Zmniejszenie liczby dni szkoleniowych",
        lines=[
            LineData(name="Wdrożenie CRM – etap 1", net_price=Decimal("12000.00")),
            LineData(name="Szkolenie użytkowników", quantity=Decimal(1), net_price=Decimal("900.00")),
        ],
    )
    invoice_issue(invoice=correction, actor=None, today=_after(first.issue_date, 10, today))
    return len(made) + 1


def _after(day: date, days: int, today: date) -> date:
    return min(day + timedelta(days=days), today)
