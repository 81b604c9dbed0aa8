"""Celery jobs of notifications (sent from a company request: the schema travels in the
task headers, see config/celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="notifications.notification_email_send")
def notification_email_send_task(notification_id: int) -> bool:
    from crm.notifications.services import notification_email_send

    return notification_email_send(notification_id=notification_id)
