"""E-mail reminders before the due time: sent once, by the beat fan-out, per company."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from config.celery import app
from crm.tasks import services
from crm.tasks.models import Task
from crm.tasks.tasks import task_reminders_fanout, task_reminders_send
from tenants.db import connection
from tests.crm.accounts.factories import UserFactory
from tests.crm.sales.helpers import customer_make, task_make


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


def _due_in(minutes: int, **kwargs) -> Task:
    return task_make(due_at=timezone.now() + timedelta(minutes=minutes), **kwargs)


def test_reminder_goes_to_the_assignee_once_even_if_the_beat_task_runs_twice(szef, company_a):
    with schema_context(company_a.schema_name):
        task = _due_in(20, title="Spotkanie z Kowalskim", assignee=szef, customer=customer_make(name="Kowalski S.A."))

        first = task_reminders_send.apply(headers={"_schema_name": company_a.schema_name}, throw=True).get()
        second = task_reminders_send.apply(headers={"_schema_name": company_a.schema_name}, throw=True).get()

        assert (first, second) == (1, 0)
        task.refresh_from_db()
        assert task.reminder_sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["szef@alfa.test"]
    assert "Spotkanie z Kowalskim" in message.subject
    assert "Kowalski S.A." in message.body
    assert f"http://alfa.{settings.IMCRM_BASE_DOMAIN}" in message.body
    assert f"/tasks/{task.pk}/" in message.body


def test_no_reminder_before_the_lead_time_for_done_tasks_or_without_a_reminder(szef, company_a):
    with schema_context(company_a.schema_name):
        _due_in(45, assignee=szef)  # 30-minute lead: not yet
        _due_in(10, assignee=szef, done=True)
        _due_in(10, assignee=szef, reminder_minutes=None)
        _due_in(10)  # nobody to remind

        assert services.task_reminders_send() == 0
    assert mail.outbox == []


def test_long_overdue_tasks_are_not_reminded(szef, company_a):
    with schema_context(company_a.schema_name):
        _due_in(-60 * 24, assignee=szef)

        assert services.task_reminders_send() == 0


def test_lead_time_is_per_task(szef, company_a):
    with schema_context(company_a.schema_name):
        _due_in(50, assignee=szef, reminder_minutes=60, title="Za godzinę")

        assert services.task_reminders_send() == 1
    assert "Za godzinę" in mail.outbox[0].subject


def test_moving_the_due_time_re_arms_the_reminder(szef, company_a):
    with schema_context(company_a.schema_name):
        task = _due_in(10, assignee=szef)
        services.task_reminders_send()

        services.task_update(
            task=Task.objects.get(pk=task.pk), actor=szef, due_at=timezone.now() + timedelta(minutes=5)
        )

        assert Task.objects.get(pk=task.pk).reminder_sent_at is None
        assert services.task_reminders_send() == 1
    assert len(mail.outbox) == 2


def test_a_failing_send_is_retried_on_the_next_run(szef, company_a):
    with schema_context(company_a.schema_name):
        task = _due_in(10, assignee=szef)
        with mock.patch("crm.tasks.services.company_email_send", side_effect=OSError("smtp down")):
            assert services.task_reminders_send() == 0
        assert Task.objects.get(pk=task.pk).reminder_sent_at is None

        assert services.task_reminders_send() == 1


def test_reminder_is_written_in_the_assignees_language(szef, company_a):
    with schema_context(company_a.schema_name):
        szef.language = "en"
        szef.save(update_fields=["language"])
        _due_in(10, assignee=szef, title="Demo")

        services.task_reminders_send()
    assert mail.outbox[0].subject == "Reminder: Demo"


def test_concurrent_runs_send_a_reminder_exactly_once(committed):
    """Two workers claiming at the same moment: the conditional UPDATE lets one win."""
    from crm.accounts.models import User

    company_a = committed.a
    connection.set_tenant(company_a)
    szef = User.objects.get(email="szef@alfa.test")
    for _i in range(5):
        _due_in(10, assignee=szef)
    connection.set_schema_to_public()
    barrier = threading.Barrier(2)
    results: list[int] = []

    def run() -> None:
        try:
            connection.set_tenant(company_a)
            barrier.wait()
            results.append(services.task_reminders_send())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 5
    assert len(mail.outbox) == 5


def test_beat_runs_the_fan_out_every_minute_and_it_reaches_every_ready_company(company_a, company_b):
    entry = settings.CELERY_BEAT_SCHEDULE["task-reminders"]
    assert entry["task"] == "tasks.task_reminders_fanout"
    assert entry["task"] in app.tasks and "tasks.task_reminders_send" in app.tasks

    with mock.patch.object(task_reminders_send, "apply_async") as send:
        count = task_reminders_fanout()

    assert count >= 2
    assert send.call_count == count


# --- subjects on one line; failures that a retry cannot fix ---------------------------------


def _beat_runs(company, times: int) -> list[int]:
    return [
        task_reminders_send.apply(headers={"_schema_name": company.schema_name}, throw=True).get()
        for _i in range(times)
    ]


def test_a_title_with_line_breaks_is_sent_with_a_one_line_subject(szef, company_a):
    with schema_context(company_a.schema_name):
        task = _due_in(10, assignee=szef, title="Zadzwoń do klienta\r\nBcc: ktos@obcy.test\n\tpilne")

        assert _beat_runs(company_a, 1) == [1]

        assert Task.objects.get(pk=task.pk).reminder_sent_at is not None
    subject = mail.outbox[0].subject
    assert subject == "Przypomnienie: Zadzwoń do klienta Bcc: ktos@obcy.test pilne"
    assert mail.outbox[0].recipients() == ["szef@alfa.test"]
    assert mail.outbox[0].message().get("Bcc") is None  # no header smuggled in through the title


def test_a_reminder_to_a_malformed_address_is_tried_once_and_shown_to_the_assignee(company_a, client_a):
    from crm.company import mail as company_mail

    with schema_context(company_a.schema_name):
        broken = UserFactory(email="jan@alfa.test\r\nBcc: ktos@obcy.test", name="Jan")
        task = _due_in(10, assignee=broken, title="Oferta dla Kowalskiego")

        with mock.patch.object(services, "company_email_send", wraps=company_mail.company_email_send) as sender:
            assert _beat_runs(company_a, 3) == [0, 0, 0]

        assert sender.call_count == 1
        stored = Task.objects.get(pk=task.pk)
        assert stored.reminder_failed_at is not None
        assert stored.reminder_failure == "address"
        assert stored.reminder_sent_at is None
    assert mail.outbox == []

    client_a.login_as(broken)
    card = client_a.get(f"/tasks/{task.pk}/").content.decode()
    assert 'data-testid="task-reminder-failed"' in card
    assert "Nie udało się wysłać przypomnienia e-mail" in card and "niepoprawny adres e-mail wykonawcy" in card
    listing = client_a.get("/tasks/?view=mine").content.decode()
    assert "Przypomnienie nie wysłane" in listing
    assert client_a.get(f"/api/v1/tasks/{task.pk}/").json()["reminder_failure"] == "address"


def test_a_recipient_the_mail_server_refuses_is_not_retried_but_a_new_due_time_re_arms_it(
    szef, company_a, company_settings_a
):
    from tests.support.fake_smtp import smtp_server_running

    with smtp_server_running(refuse=["szef@alfa.test"]) as server:
        company_settings_a(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="a@alfa.test")
        with schema_context(company_a.schema_name):
            task = _due_in(10, assignee=szef)

            assert _beat_runs(company_a, 2) == [0, 0]

            stored = Task.objects.get(pk=task.pk)
            assert stored.reminder_failure == "refused"
            assert services.task_reminders_due() == []

            services.task_update(task=stored, actor=szef, due_at=timezone.now() + timedelta(minutes=5))

            stored = Task.objects.get(pk=task.pk)
            assert (stored.reminder_failed_at, stored.reminder_failure) == (None, "")
            assert services.task_reminders_due() == [task.pk]
    assert server.sink.messages == []


def test_a_mail_server_that_is_down_is_retried_on_the_next_run(szef, company_a, company_settings_a):
    from tests.support.fake_smtp import free_port, smtp_server_running

    port = free_port()  # nothing listens there yet: connection refused
    company_settings_a(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", smtp_from="a@alfa.test")
    with schema_context(company_a.schema_name):
        task = _due_in(10, assignee=szef)

        assert _beat_runs(company_a, 1) == [0]

        stored = Task.objects.get(pk=task.pk)
        assert (stored.reminder_sent_at, stored.reminder_failed_at) == (None, None)
    with smtp_server_running() as server:
        company_settings_a(smtp_port=server.port)
        with schema_context(company_a.schema_name):
            assert _beat_runs(company_a, 1) == [1]
    assert len(server.sink.messages) == 1
