"""Who sees which e-mails: those of the customers the user may open."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from crm.accounts.models import User
from crm.company.models import EmailTemplate, EmailTemplateKind
from crm.contacts.selectors import customers_visible_to
from crm.emails.models import CustomerEmail, MailboxSettings


def emails_visible_to(user: User) -> QuerySet[CustomerEmail]:
    return CustomerEmail.objects.filter(customer__in=customers_visible_to(user))


def custom_templates() -> QuerySet[EmailTemplate]:
    """The templates staff pick from when writing to a customer."""
    return EmailTemplate.objects.filter(kind=EmailTemplateKind.CUSTOM).order_by("name", "id")


def bcc_address() -> str:
    """The company's BCC address: bcc+<token>@<inbound domain>."""
    domain = getattr(settings, "IMCRM_INBOUND_MAIL_DOMAIN", "") or f"inbound.{settings.IMCRM_BASE_DOMAIN}"
    return f"bcc+{MailboxSettings.current().bcc_token}@{domain}"
