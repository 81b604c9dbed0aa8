"""Celery jobs of automations (queued from a company request or a beat run: the schema
travels in the task headers, see config/celery.py)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="automations.automation_email_send", bind=True, max_retries=None)
def automation_email_send_task(self: Any, run_id: int, to: str, subject: str, body: str) -> bool:
    """The "e-mail the customer" action of a rule (crm.automations.mail.automation_email_deliver);
    a failure that may pass is retried with growing pauses, the last attempt records it."""
    from crm.automations.mail import MAX_RETRIES, automation_email_deliver, backoff_seconds

    retries = int(self.request.retries or 0)
    try:
        return automation_email_deliver(run_id=run_id, to=to, subject=subject, body=body, final=retries >= MAX_RETRIES)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=backoff_seconds(retries)) from exc
