"""Celery queues in production (config/settings.py CELERY_TASK_ROUTES): e-mails, imports and
archives, and KSeF each wait in their own queue; `make run` consumes all of them. The tests
themselves send every task to their one test queue (config/settings_test.py)."""

from __future__ import annotations

from celery.app.routes import MapRoute
from django.conf import settings

from config.celery import app
from scripts import run


def _queue(task: str) -> str:
    route = MapRoute(settings.PRODUCTION_CELERY_TASK_ROUTES)(task)
    return route["queue"] if route else "celery"


def test_slow_and_outside_work_waits_in_its_own_queue():
    assert _queue("tenants.company_welcome_email_send") == "mail"
    assert _queue("tenants.owner_email_confirmation_send") == "mail"
    assert _queue("tickets.ticket_assigned_email_send") == "mail"
    assert _queue("automations.automation_email_send") == "mail"
    assert _queue("contacts.customer_import_run") == "imports"
    assert _queue("billing_saas.company_export_build") == "imports"
    assert _queue("invoicing.invoice_ksef_send") == "ksef"
    assert _queue("tasks.task_reminders_fanout") == "celery"


def test_every_route_names_a_real_task_and_a_queue_someone_consumes():
    app.loader.import_default_modules()
    queues = set(settings.PRODUCTION_CELERY_QUEUES)
    for task in app.tasks:
        assert _queue(task) in queues, task
    exact = [name for name in settings.PRODUCTION_CELERY_TASK_ROUTES if "*" not in name]
    assert all(name in app.tasks for name in exact)
    # `make run` starts one worker for every queue.
    assert run.QUEUES.split(",") == settings.PRODUCTION_CELERY_QUEUES


def test_the_tests_send_every_task_to_the_test_queue():
    assert settings.CELERY_TASK_ROUTES == {}
    assert settings.IMCRM_CELERY_QUEUES == [settings.CELERY_TASK_DEFAULT_QUEUE]
