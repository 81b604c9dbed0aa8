"""Celery jobs of the portal (sent from a company request: the schema travels in the task
headers, see config/celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="portal.project_message_email_send")
def project_message_email_send_task(message_id: int) -> int:
    """A staff message in a project's discussion, e-mailed to the customer's portal users."""
    from crm.portal.discussion import project_message_mail_send

    return project_message_mail_send(message_id=message_id)
