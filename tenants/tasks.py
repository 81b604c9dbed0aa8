from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from tenants.db import connection
from tenants.models import Company
from tenants.urls_helpers import company_url


@shared_task(name="tenants.company_welcome_email_send")
def company_welcome_email_send(company_id: int) -> None:
    from crm.accounts.models import Role, User

    company = Company.objects.get(pk=company_id)
    connection.set_tenant(company)
    try:
        owner = User.objects.filter(role=Role.SZEF).order_by("id").first()
        if owner is None:
            return
        with translation.override(owner.language or "pl"):
            context = {"company": company, "url": company_url(company.subdomain or ""), "owner": owner}
            subject = render_to_string("emails/welcome_subject.txt", context).strip()
            body = render_to_string("emails/welcome.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    finally:
        connection.set_schema_to_public()


@shared_task(name="tenants.pool_refill")
def pool_refill() -> int:
    from tenants.services import pool_fill

    return pool_fill(target=settings.IMCRM_POOL_SIZE)


@shared_task(name="tenants.current_schema")
def current_schema() -> str:
    """Which schema a task runs in: used by the isolation tests and by health checks."""
    return connection.schema_name
