"""Celery jobs of the e-mails app: sending (queued from a company request: the schema
travels in the task headers, see config/celery.py) and, once a day by beat, the purge
of old BCC copies that matched no customer."""

from __future__ import annotations

from celery import shared_task

from tenants.fanout import for_each_company


@shared_task(name="emails.email_deliver")
def email_deliver_task(email_id: int) -> bool:
    """Send a message staff wrote to a customer (crm.emails.services.email_deliver)."""
    from crm.emails.services import email_deliver

    return email_deliver(email_id=email_id)


@shared_task(name="emails.unmatched_purge")
def unmatched_purge_task() -> int:
    """Drop the BCC copies that matched nobody, older than the kept period."""
    from crm.emails.unmatched import unmatched_emails_purge

    return unmatched_emails_purge()


@shared_task(name="emails.unmatched_purge_fanout", public_ok=True)
def unmatched_purge_fanout() -> int:
    return for_each_company(unmatched_purge_task)
