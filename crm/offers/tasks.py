"""Celery tasks of offers: offers past their validity are marked expired once a day.

Beat runs `offers.offers_expire_fanout` in the public schema; it enqueues
`offers.offers_expire` once per ready company (with the company's schema in the headers).
"""

from __future__ import annotations

from celery import shared_task

from crm.offers.answers import offers_expire as offers_expire_run
from tenants.fanout import for_each_company


@shared_task(name="offers.offers_expire")
def offers_expire() -> int:
    return offers_expire_run()


@shared_task(name="offers.offers_expire_fanout", public_ok=True)
def offers_expire_fanout() -> int:
    return for_each_company(offers_expire)
