"""Celery jobs of the contacts app (sent from a company request: the schema travels
in the task headers, see config/celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="contacts.customer_import_run")
def customer_import_run(job_id: int) -> int:
    from crm.contacts.imports import import_run

    return import_run(job_id).created_count
