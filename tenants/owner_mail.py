"""E-mails to a company's owner and to people asking for their addresses: rendered
and sent here, so the Celery tasks (tenants/tasks.py) only load the row by id and
call these services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tenants.db import connection
from tenants.mail import mail_subject
from tenants.models import Company
from tenants.owner_email import PUBLIC_URLCONF, owner_email_links
from tenants.selectors import companies_for_email
from tenants.urls_helpers import company_url, public_url


def _render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    subject = mail_subject(render_to_string(f"tenants/emails/{template}_subject.txt", context))
    return subject, render_to_string(f"tenants/emails/{template}.txt", context)


def owner_mail_send(*, company: Company, template: str, only_unconfirmed: bool = False) -> bool:
    """Render `template` (+ `_subject`) for the company's owner, in the owner's language,
    and send it, with the confirmation links while the address is not confirmed yet.
    Returns whether a message went out."""
    connection.set_tenant(company)
    try:
        owner = get_user_model().objects.company_owner()
        if owner is None:
            return False
        pending = company.owner_email_confirmed_at is None and company.owner_reported_not_me_at is None
        if only_unconfirmed and not pending:
            return False
        links = owner_email_links(company_id=company.pk, email=owner.email) if pending else {}
        with translation.override(owner.language or "pl"):
            context = {"company": company, "url": company_url(company.subdomain or ""), "owner": owner, **links}
            subject, body = _render(template, context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
        return True
    finally:
        connection.set_schema_to_public()


def company_welcome_mail_send(*, company: Company) -> bool:
    """The welcome e-mail after signup: the company's address, the trial, and the links
    that confirm the owner's address or report "this was not me" (tenants/owner_email.py)."""
    return owner_mail_send(company=company, template="welcome")


def company_addresses_mail_send(*, email: str, language: str = "pl") -> int:
    """Mail `email` the addresses of the companies where it is staff ("forgot your address?").

    Nothing is sent when it is staff nowhere: the page answers the same either way,
    and a stranger's inbox gets no mail it did not ask for. Returns how many were listed.
    """
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
        subject, body = _render("addresses", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(entries)
