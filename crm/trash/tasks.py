"""Beat: once a day every company's trash drops entries older than 30 days."""

from __future__ import annotations

from celery import shared_task

from tenants.fanout import for_each_company


@shared_task(name="trash.trash_purge")
def trash_purge() -> int:
    from crm.trash.services import trash_purge as purge

    return purge()


@shared_task(name="trash.trash_purge_fanout", public_ok=True)
def trash_purge_fanout() -> int:
    return for_each_company(trash_purge)
