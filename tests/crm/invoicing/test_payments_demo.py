"""The demo company's money side: payments on its invoices, one overdue invoice, reminders
on and a recurring invoice; seeding twice adds nothing."""

from __future__ import annotations

from crm.invoicing.demo_payments import payments_demo_seed
from crm.invoicing.models import Invoice, InvoiceStatus, Payment, PaymentReminderSettings, RecurringInvoice
from tests.crm.contacts.factories import CustomerFactory


def test_demo_payments_overdue_and_recurring_once(in_a):
    with in_a():
        for name in ("Hurtownia Śrubex", "Kowalski S.A.", "Biuro Rachunkowe Nowak"):
            CustomerFactory(name=name)

        assert payments_demo_seed() == 2
        assert payments_demo_seed() == 0

        statuses = set(Invoice.objects.values_list("status", flat=True))
        assert {InvoiceStatus.PAID, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE} <= statuses
        assert Payment.objects.count() == 2
        assert RecurringInvoice.objects.filter(active=True).count() == 1
        assert PaymentReminderSettings.current().enabled


def test_nothing_without_customers(in_a):
    with in_a():
        assert payments_demo_seed() == 0
