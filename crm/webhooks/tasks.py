"""Celery job of the webhooks: one attempt of a delivery; a failed one is sent again
later by the same job (crm.webhooks.services.BACKOFF)."""

from __future__ import annotations

from celery import shared_task

from crm.webhooks.services import deliveries_due, delivery_attempt
from tenants.fanout import for_each_company


@shared_task(name="webhooks.delivery_send")
def delivery_send_task(delivery_id: int) -> int | None:
    delay = delivery_attempt(delivery_id=delivery_id)
    if delay is not None:
        delivery_send_task.apply_async(args=[delivery_id], countdown=delay)
    return delay


@shared_task(name="webhooks.deliveries_sweep")
def deliveries_sweep_task() -> int:
    """Send again the deliveries whose message was lost (see services.deliveries_due)."""
    due = deliveries_due()
    for delivery_id in due:
        delivery_send_task.apply_async(args=[delivery_id])
    return len(due)


@shared_task(name="webhooks.deliveries_sweep_fanout", public_ok=True)
def deliveries_sweep_fanout() -> int:
    return for_each_company(deliveries_sweep_task)
