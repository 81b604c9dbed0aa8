"""Celery tasks of the tasks app: e-mail reminders before the due time.

Beat runs `tasks.task_reminders_fanout` in the public schema every minute; it
enqueues `tasks.task_reminders_send` once per ready company (with the company's
schema in the headers), which sends that company's due reminders exactly once.
"""

from __future__ import annotations

from celery import shared_task

from tenants.fanout import for_each_company


@shared_task(name="tasks.task_reminders_send")
def task_reminders_send() -> int:
    from crm.tasks.services import task_reminders_send as send

    return send()


@shared_task(name="tasks.task_reminders_fanout", public_ok=True)
def task_reminders_fanout() -> int:
    return for_each_company(task_reminders_send)
