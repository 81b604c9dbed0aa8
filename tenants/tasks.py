from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from tenants.db import connection
from tenants.models import Company
from tenants.owner_mail import company_addresses_mail_send, company_welcome_mail_send, owner_mail_send

logger = logging.getLogger(__name__)


def _company(company_id: int, what: str) -> Company | None:
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not company.subdomain:
        logger.info("%s skipped: company %s no longer exists", what, company_id)
        return None
    return company


@shared_task(name="tenants.company_welcome_email_send")
def company_welcome_email_send(company_id: int) -> None:
    """The welcome e-mail after signup (tenants.owner_mail.company_welcome_mail_send)."""
    company = _company(company_id, "welcome")
    if company is not None:
        company_welcome_mail_send(company=company)


@shared_task(name="tenants.owner_email_confirmation_send")
def owner_email_confirmation_send(company_id: int) -> None:
    """The confirmation links again ("send again" in the CRM's banner)."""
    company = _company(company_id, "owner_email_confirm")
    if company is not None:
        owner_mail_send(company=company, template="owner_email_confirm", only_unconfirmed=True)


@shared_task(name="tenants.company_addresses_email_send")
def company_addresses_email_send(email: str, language: str = "pl") -> int:
    """Mail `email` the addresses of the companies where it is staff (tenants.owner_mail)."""
    return company_addresses_mail_send(email=email, language=language)


@shared_task(name="tenants.pool_refill")
def pool_refill() -> int:
    """Top the pool of ready schemas up to IMCRM_POOL_SIZE (queued after each signup)."""
    from tenants.pool import pool_fill

    return pool_fill(target=settings.IMCRM_POOL_SIZE, wait=False)


@shared_task(name="tenants.current_schema")
def current_schema() -> str:
    """Which schema a task runs in: used by the isolation tests and by health checks."""
    return connection.schema_name


from tenants import fanout as _fanout  # noqa: E402,F401  registers tenants.fanout_chunk with the workers
