"""Celery jobs of the e-mails app (queued from a company request: the schema travels in
the task headers, see config/celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="emails.email_deliver")
def email_deliver_task(email_id: int) -> bool:
    """Send a message staff wrote to a customer (crm.emails.services.email_deliver)."""
    from crm.emails.services import email_deliver

    return email_deliver(email_id=email_id)
