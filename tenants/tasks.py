from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tenants.db import connection
from tenants.mail import mail_subject
from tenants.models import Company
from tenants.urls_helpers import company_url, public_url

logger = logging.getLogger(__name__)
PUBLIC_URLCONF = "config.urls_public"


@shared_task(name="tenants.company_welcome_email_send")
def company_welcome_email_send(company_id: int) -> None:
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not company.subdomain:
        logger.info("welcome e-mail skipped: company %s no longer exists", company_id)
        return
    connection.set_tenant(company)
    try:
        owner = get_user_model().objects.company_owner()
        if owner is None:
            return
        with translation.override(owner.language or "pl"):
            context = {"company": company, "url": company_url(company.subdomain or ""), "owner": owner}
            subject = mail_subject(render_to_string("tenants/emails/welcome_subject.txt", context))
            body = render_to_string("tenants/emails/welcome.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    finally:
        connection.set_schema_to_public()


@shared_task(name="tenants.company_addresses_email_send")
def company_addresses_email_send(email: str, language: str = "pl") -> int:
    """Mail `email` the addresses of the companies where it is staff ("forgot your address?").

    Nothing is sent when it is staff nowhere: the page answers the same either way,
    and a stranger's inbox gets no mail it did not ask for. Returns how many were listed.
    """
    from tenants.selectors import companies_for_email

    companies = companies_for_email(email=email)
    if not companies:
        return 0
    entries = [{"name": c.name, "url": company_url(c.subdomain or "")} for c in companies]
    with translation.override(language if language in dict(settings.LANGUAGES) else "pl"):
        context = {
            "companies": entries,
            "email": email,
            "signin_url": public_url(reverse("public_site:signin", urlconf=PUBLIC_URLCONF)),
        }
        subject = mail_subject(render_to_string("tenants/emails/addresses_subject.txt", context))
        body = render_to_string("tenants/emails/addresses.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(entries)


@shared_task(name="tenants.pool_refill")
def pool_refill() -> int:
    """Top the pool of ready schemas up to IMCRM_POOL_SIZE (queued after each signup)."""
    from tenants.pool import pool_fill

    return pool_fill(target=settings.IMCRM_POOL_SIZE, wait=False)


@shared_task(name="tenants.current_schema")
def current_schema() -> str:
    """Which schema a task runs in: used by the isolation tests and by health checks."""
    return connection.schema_name
