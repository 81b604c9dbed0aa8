"""Celery jobs of invoices.

- Sent from a company request (the schema travels in the task headers, see
  config/celery.py): sending an invoice to KSeF.
- Daily, by beat (`CELERY_BEAT_SCHEDULE` in config/settings.py): each `*_fanout` task runs
  in the public schema and enqueues the company task once per ready company. Each company
  task is idempotent: running it twice the same day changes nothing more (overdue flags
  are recomputed, a reminder step and a recurring period happen once).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from tenants.fanout import for_each_company

BACKOFF_FIRST_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def backoff_seconds(retries: int, asked: int | None = None) -> int:
    """30 s, 60 s, 120 s… up to an hour; what KSeF asked for (Retry-After) when longer."""
    delay = min(BACKOFF_FIRST_SECONDS * 2**retries, BACKOFF_MAX_SECONDS)
    return max(delay, min(asked or 0, BACKOFF_MAX_SECONDS))


@shared_task(name="invoicing.invoice_ksef_send", bind=True, max_retries=None)
def invoice_ksef_send_task(self: Any, invoice_id: int) -> str:
    """Send one invoice to KSeF (crm.invoicing.services.ksef.invoice_ksef_send); retry
    transient failures with exponential backoff."""
    from crm.invoicing.services.ksef import KsefRetryLater, invoice_ksef_send

    retries = int(self.request.retries or 0)
    final = retries >= settings.IMCRM_KSEF_MAX_RETRIES
    try:
        return invoice_ksef_send(invoice_id=invoice_id, final=final).status
    except KsefRetryLater as exc:
        raise self.retry(countdown=backoff_seconds(retries, exc.seconds)) from exc


@shared_task(name="invoicing.overdue_refresh")
def overdue_refresh() -> int:
    from crm.invoicing.payments import invoices_overdue_refresh

    return invoices_overdue_refresh()


@shared_task(name="invoicing.overdue_fanout", public_ok=True)
def overdue_fanout() -> int:
    return for_each_company(overdue_refresh)


@shared_task(name="invoicing.payment_reminders_send")
def payment_reminders_send() -> int:
    from crm.invoicing.reminders import payment_reminders_send as send

    return send()


@shared_task(name="invoicing.payment_reminders_fanout", public_ok=True)
def payment_reminders_fanout() -> int:
    return for_each_company(payment_reminders_send)


@shared_task(name="invoicing.recurring_issue")
def recurring_issue() -> int:
    from crm.invoicing.recurring import recurring_invoices_issue

    return recurring_invoices_issue()


@shared_task(name="invoicing.recurring_fanout", public_ok=True)
def recurring_fanout() -> int:
    return for_each_company(recurring_issue)
