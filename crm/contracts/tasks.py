"""Celery tasks of contracts, once a day: the owners' reminders before a contract's end
(once per contract) and the status moves (signed -> active on the start, expired after
the end). Beat runs the fan-outs in the public schema; each enqueues the task once per
ready company."""

from __future__ import annotations

from celery import shared_task

from crm.contracts.services import contracts_advance as contracts_advance_run
from crm.contracts.services import contracts_remind as contracts_remind_run
from tenants.fanout import for_each_company


@shared_task(name="contracts.contracts_remind")
def contracts_remind() -> int:
    contracts_advance_run()
    return contracts_remind_run()


@shared_task(name="contracts.contracts_remind_fanout", public_ok=True)
def contracts_remind_fanout() -> int:
    return for_each_company(contracts_remind)
