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
from tenants.owner_email import owner_email_links
from tenants.urls_helpers import company_url, public_url

logger = logging.getLogger(__name__)
PUBLIC_URLCONF = "config.urls_public"


def _owner_mail_send(company_id: int, template: str, *, only_unconfirmed: bool = False) -> None:
    """Render `template` (+ `_subject`) for the company's owner and send it, with the
    confirmation links while the address is not confirmed yet."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not company.subdomain:
        logger.info("%s skipped: company %s no longer exists", template, company_id)
        return
    connection.set_tenant(company)
    try:
        owner = get_user_model().objects.company_owner()
        if owner is None:
            return
        pending = company.owner_email_confirmed_at is None and company.owner_reported_not_me_at is None
        if only_unconfirmed and not pending:
            return
        links = owner_email_links(company_id=company.pk, email=owner.email) if pending else {}
        with translation.override(owner.language or "pl"):
            context = {"company": company, "url": company_url(company.subdomain or ""), "owner": owner, **links}
            subject = mail_subject(render_to_string(f"tenants/emails/{template}_subject.txt", context))
            body = render_to_string(f"tenants/emails/{template}.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    finally:
        connection.set_schema_to_public()


@shared_task(name="tenants.company_welcome_email_send")
def company_welcome_email_send(company_id: int) -> None:
    """The welcome e-mail after signup: the company's address, the trial, and the links
    that confirm the owner's address or report "this was not me" (tenants/owner_email.py)."""
    _owner_mail_send(company_id, "welcome")


@shared_task(name="tenants.owner_email_confirmation_send")
def owner_email_confirmation_send(company_id: int) -> None:
    """The confirmation links again ("send again" in the CRM's banner)."""
    _owner_mail_send(company_id, "owner_email_confirm", only_unconfirmed=True)


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
