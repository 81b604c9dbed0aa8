"""Celery job of the webhooks: one attempt of a delivery; a failed one is sent again
later by the same job (crm.webhooks.services.BACKOFF)."""

from __future__ import annotations

from celery import shared_task

from crm.webhooks.services import delivery_attempt


@shared_task(name="webhooks.delivery_send")
def delivery_send_task(delivery_id: int) -> int | None:
    delay = delivery_attempt(delivery_id=delivery_id)
    if delay is not None:
        delivery_send_task.apply_async(args=[delivery_id], countdown=delay)
    return delay
