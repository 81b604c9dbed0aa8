"""The daily jobs: invoices past their due date are flagged overdue (and back when paid),
and customers get reminder e-mails through the company's SMTP server on Szef's schedule,
each step exactly once however many times beat runs."""

from __future__ import annotations

import email
from datetime import timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.invoicing import reminders
from crm.invoicing.models import Invoice, InvoiceStatus, PaymentReminder, PaymentReminderSettings
from crm.invoicing.payments import invoices_overdue_refresh, payment_create
from crm.invoicing.tasks import overdue_refresh, payment_reminders_send
from crm.notes.models import TimelineEvent
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.payments_factories import InvoiceFactory
from tests.support.fake_smtp import smtp_server_running


def _days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def _run(task: Any, company: Any) -> Any:
    return task.apply(headers={"_schema_name": company.schema_name}, throw=True).get()


def test_the_daily_task_flags_unpaid_invoices_past_due_once(company_a, in_a):
    with in_a():
        late = InvoiceFactory(due_date=_days_ago(1))
        partly = InvoiceFactory(due_date=_days_ago(5), status=InvoiceStatus.PARTIALLY_PAID, paid_total="10.00")
        due_today = InvoiceFactory(due_date=timezone.localdate())
        draft = InvoiceFactory(due_date=_days_ago(9), status=InvoiceStatus.DRAFT, number="")

    assert _run(overdue_refresh, company_a) == 2
    assert _run(overdue_refresh, company_a) == 0

    with in_a():
        statuses = dict(Invoice.objects.values_list("pk", "status"))
        assert statuses[late.pk] == statuses[partly.pk] == InvoiceStatus.OVERDUE
        assert statuses[due_today.pk] == InvoiceStatus.ISSUED
        assert statuses[draft.pk] == InvoiceStatus.DRAFT
        assert ActivityEntry.objects.filter(code="invoice.payment_status", params__to="overdue").count() == 2
        assert TimelineEvent.objects.filter(customer=late.customer, code="invoice.overdue").count() == 1


def test_paying_an_overdue_invoice_makes_it_paid_and_the_task_leaves_it(szef, in_a):
    with in_a():
        invoice = InvoiceFactory(due_date=_days_ago(3))
        invoices_overdue_refresh()

        payment_create(actor=szef, invoice=invoice, amount=Decimal("1230.00"))
        invoices_overdue_refresh()

        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID


def test_a_partial_payment_of_an_overdue_invoice_keeps_it_overdue(szef, in_a):
    with in_a():
        invoice = InvoiceFactory(due_date=_days_ago(3))
        invoices_overdue_refresh()

        payment_create(actor=szef, invoice=invoice, amount=Decimal("100.00"))

        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.OVERDUE


def test_the_fanout_reaches_every_ready_company(company_a):
    from crm.invoicing.tasks import overdue_fanout, payment_reminders_fanout

    with mock.patch.object(overdue_refresh, "apply_async") as sent:
        count = overdue_fanout.run()
    assert count >= 1 and sent.call_count == count
    with mock.patch.object(payment_reminders_send, "apply_async") as sent:
        assert payment_reminders_fanout.run() == sent.call_count


# --- reminders -------------------------------------------------------------------------------


@pytest.fixture
def smtp(company_settings_a: Any) -> Any:
    with smtp_server_running() as server:
        company_settings_a(
            smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="faktury@alfa.test"
        )
        yield server


def _schedule(in_a: Any, **values: Any) -> None:
    with in_a():
        settings = PaymentReminderSettings.current()
        for name, value in {
            "enabled": True,
            "first_after_days": 3,
            "repeat_every_days": 7,
            "max_count": 2,
            **values,
        }.items():
            setattr(settings, name, value)
        settings.save()


def _texts(server: Any) -> list[tuple[str, str, list[str]]]:
    out = []
    for envelope in server.sink.messages:
        message = email.message_from_bytes(envelope.content)
        body = message.get_payload(decode=True).decode()
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        out.append((subject, body, list(envelope.rcpt_tos)))
    return out


def test_a_reminder_goes_to_the_customer_once_even_if_beat_runs_twice(company_a, in_a, smtp, company_settings_a):
    company_settings_a(bank_account="PL61109010140000071219812874")
    _schedule(in_a)
    with in_a():
        customer = CustomerFactory(name="Hurtownia Śrubex", email="ksiegowosc@srubex.pl")
        invoice = InvoiceFactory(customer=customer, number="FV/2026/11/7", due_date=_days_ago(4))

    assert _run(payment_reminders_send, company_a) == 1
    assert _run(payment_reminders_send, company_a) == 0

    [(subject, body, to)] = _texts(smtp)
    assert to == ["ksiegowosc@srubex.pl"]
    assert subject.endswith("Przypomnienie o płatności: faktura FV/2026/11/7")
    assert "1\xa0230,00 PLN" in body
    assert _days_ago(4).strftime("%d.%m.%Y") in body
    assert "PL61109010140000071219812874" in body
    assert "Alfa" in body  # the company's name
    with in_a():
        reminder = PaymentReminder.objects.get()
        assert (reminder.invoice_id, reminder.step, reminder.to) == (invoice.pk, 1, "ksiegowosc@srubex.pl")
        assert ActivityEntry.objects.filter(code="invoice.reminder_sent", object_id=str(invoice.pk)).count() == 1
        assert TimelineEvent.objects.filter(customer=customer, code="invoice.reminder_sent").count() == 1
        invoice.refresh_from_db()
        assert invoice.last_reminder_at is not None


def test_the_schedule_sends_the_next_step_after_the_interval_and_stops_at_the_limit(company_a, in_a, smtp):
    _schedule(in_a, first_after_days=3, repeat_every_days=7, max_count=2)
    with in_a():
        InvoiceFactory(due_date=_days_ago(30))
        today = timezone.localdate()

        assert reminders.payment_reminders_send(today=today) == 1
        assert reminders.payment_reminders_send(today=today + timedelta(days=6)) == 0
        assert reminders.payment_reminders_send(today=today + timedelta(days=7)) == 1  # 7 days after the first
        assert reminders.payment_reminders_send(today=today + timedelta(days=7)) == 0
        assert reminders.payment_reminders_send(today=today + timedelta(days=60)) == 0  # max_count reached
        assert sorted(PaymentReminder.objects.values_list("step", flat=True)) == [1, 2]
    assert len(smtp.sink.messages) == 2


def test_no_reminder_before_the_first_step_when_off_when_paid_or_without_an_email(company_a, in_a, smtp):
    _schedule(in_a, first_after_days=5)
    with in_a():
        InvoiceFactory(due_date=_days_ago(4))  # one day too early
        InvoiceFactory(due_date=_days_ago(20), customer=CustomerFactory(email=""))
        InvoiceFactory(due_date=_days_ago(20), status=InvoiceStatus.PAID, paid_total="1230.00")

        assert reminders.payment_reminders_send() == 0
        PaymentReminderSettings.objects.update(enabled=False)
        InvoiceFactory(due_date=_days_ago(40))
        assert reminders.payment_reminders_send() == 0
    assert smtp.sink.messages == []


def test_a_failed_send_is_retried_on_the_next_run(company_a, in_a, company_settings_a):
    from tests.support.fake_smtp import free_port

    company_settings_a(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none", smtp_from="a@alfa.test")
    _schedule(in_a)
    with in_a():
        InvoiceFactory(due_date=_days_ago(10))

        assert reminders.payment_reminders_send() == 0  # nobody listens: connection refused
        assert not PaymentReminder.objects.exists()
    with smtp_server_running() as server:
        company_settings_a(smtp_port=server.port)
        with in_a():
            assert reminders.payment_reminders_send() == 1
        assert len(server.sink.messages) == 1


def test_szefs_texts_and_placeholders_are_used(company_a, in_a, smtp):
    _schedule(
        in_a,
        subject="Zaległa faktura {number} dla {customer}",
        body="Kwota {amount}, termin {due_date}, {days_overdue} dni po terminie. {company} {nieznane}",
    )
    with in_a():
        InvoiceFactory(customer=CustomerFactory(name="Kowalski S.A."), number="FV/9", due_date=_days_ago(12))
        assert reminders.payment_reminders_send() == 1

    [(subject, body, _to)] = _texts(smtp)
    assert subject.endswith("Zaległa faktura FV/9 dla Kowalski S.A.")
    assert "Kwota 1\xa0230,00 PLN" in body and "12 dni po terminie" in body
    assert "{nieznane}" in body  # left as typed, never evaluated


def test_placeholders_cannot_reach_attributes_of_the_values():
    values = {"number": "FV/1"}
    assert reminders.text_fill("{number.__class__} {number}", values) == "{number.__class__} FV/1"


def test_concurrent_runs_send_a_step_exactly_once(committed):
    """Two workers at the same moment: the row lock and the unique step let one send."""
    import threading

    from django.db import connections

    from tenants.db import connection

    company = committed.a
    with smtp_server_running() as server:
        connection.set_tenant(company)
        from crm.company.models import CompanySettings

        # update_or_create: an earlier committed test may have emptied the table.
        CompanySettings.objects.update_or_create(
            pk=1,
            defaults={
                "smtp_host": "127.0.0.1",
                "smtp_port": server.port,
                "smtp_security": "none",
                "smtp_from": "a@alfa.test",
            },
        )
        PaymentReminderSettings.objects.update_or_create(pk=1, defaults={"enabled": True, "first_after_days": 1})
        InvoiceFactory(due_date=_days_ago(10))
        connection.set_schema_to_public()
        results: list[int] = []
        barrier = threading.Barrier(2)

        def worker() -> None:
            try:
                with schema_context(company.schema_name):
                    barrier.wait()
                    results.append(reminders.payment_reminders_send())
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [0, 1]
        assert len(server.sink.messages) == 1
