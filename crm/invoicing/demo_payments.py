"""Payments, an overdue invoice, reminders switched on and a recurring invoice for the demo
company (called from crm/demo/seed.py after the customers and the demo invoices).

Idempotent: does nothing once the company has a payment or a recurring invoice, or while it
has no customers. Uses the demo's issued VAT invoices when there are at least three, else
issues three of its own through the invoice services (dated in the past, so one is overdue).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.accounts.models import Role, User
from crm.contacts.models import Customer
from crm.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentReminderSettings,
    RecurringInvoice,
)
from crm.invoicing.payments import invoice_left_to_pay, invoices_overdue_refresh, payment_create
from crm.invoicing.recurring import date_advance, recurring_create
from crm.invoicing.services import LineData, invoice_create, invoice_issue

# name, net price, VAT rate, days ago issued, payment term in days
OWN_INVOICES: list[tuple[str, str, str, int, int]] = [
    ("Abonament CRM – 10 stanowisk (miesiąc)", "1200.00", "23", 20, 14),
    ("Wdrożenie i szkolenie zespołu sprzedaży", "8500.00", "23", 12, 21),
    ("Serwis sprzętu – pakiet godzin", "2400.00", "23", 45, 14),
]


def _own_invoices(customers: list[Customer]) -> list[Invoice]:
    today = timezone.localdate()
    invoices = []
    for index, (name, price, rate, days_ago, term) in enumerate(OWN_INVOICES):
        issue_day = today - timedelta(days=days_ago)
        draft = invoice_create(
            actor=None,
            customer=customers[index % len(customers)],
            lines=[LineData(name=name, net_price=Decimal(price), vat_rate=rate)],
            issue_date=issue_day,
            due_date=issue_day + timedelta(days=term),
        )
        invoices.append(invoice_issue(invoice=draft, actor=None, today=issue_day))
    return invoices


def payments_demo_seed() -> int:
    """Returns how many payments were recorded."""
    customers = list(Customer.objects.exclude(email="").order_by("id")[:3])
    if not customers or Payment.objects.exists() or RecurringInvoice.objects.exists():
        return 0
    manager = User.objects.filter(is_active=True, role=Role.SZEF).order_by("id").first()
    if manager is None:
        return 0
    issued = list(
        Invoice.objects.filter(kind=InvoiceKind.VAT, status=InvoiceStatus.ISSUED, currency="PLN").order_by(
            "issue_date", "id"
        )
    )
    if len(issued) < 3:
        issued = _own_invoices(customers)
    overdue, paid, partly = issued[0], issued[-1], issued[1]
    today = timezone.localdate()
    payment_create(
        actor=manager, invoice=paid, amount=invoice_left_to_pay(paid), paid_at=today, method=PaymentMethod.TRANSFER
    )
    payment_create(
        actor=manager,
        invoice=partly,
        amount=(invoice_left_to_pay(partly) / 2).quantize(Decimal("0.01")),
        paid_at=today,
        method=PaymentMethod.CASH,
        note="Pierwsza rata",
    )
    if overdue.due_date >= today:  # the demo's own invoices are young: make one late
        Invoice.objects.filter(pk=overdue.pk).update(due_date=today - timedelta(days=10))
    invoices_overdue_refresh(today=today)
    PaymentReminderSettings.objects.update_or_create(pk=1, defaults={"enabled": True})
    recurring_create(
        actor=manager,
        template=paid,
        interval="monthly",
        next_date=max(date_advance(paid.issue_date, "monthly", anchor_day=paid.issue_date.day), today),
    )
    return 2
