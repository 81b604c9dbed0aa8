"""E-mails to Szef 3 days and 1 day before the trial ends, each sent once.

The reminder row is inserted before the e-mail goes out, in the same transaction:
a second run (beat firing twice, two workers) waits on the unique constraint and
then skips; a failed send rolls the row back so the next run tries again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_tenants.utils import tenant_context

from billing_saas.models import ServiceEmailKind, TrialReminder
from billing_saas.service_mail import Values, service_mail_text
from tenants.db import connection
from tenants.models import Company, CompanyStatus
from tenants.urls_helpers import company_url

logger = logging.getLogger(__name__)


def _kind(left: timedelta) -> str:
    return TrialReminder.Kind.ONE_DAY if left <= timedelta(days=1) else TrialReminder.Kind.THREE_DAYS


def _szefs(company: Company) -> list[tuple[str, str, str]]:
    from crm.accounts.models import User

    with tenant_context(company):
        rows = User.objects.szefs()
        return [(u.email, u.language or settings.LANGUAGE_CODE, u.get_short_name()) for u in rows]


def _send(company: Company, kind: str, recipients: list[tuple[str, str, str]]) -> None:
    """Each Szef in his language: the operator's text of this reminder when there is one
    (billing_saas.service_mail), else the built-in one."""
    service_kind = ServiceEmailKind.TRIAL_1D if kind == TrialReminder.Kind.ONE_DAY else ServiceEmailKind.TRIAL_3D
    for email, language, name in recipients:
        with translation.override(language):
            ends = (
                date_format(localtime(company.trial_ends_at), "SHORT_DATETIME_FORMAT") if company.trial_ends_at else ""
            )
            values = Values(
                company_name=company.name,
                user_name=name,
                trial_ends_at=ends,
                billing_link=company_url(company.subdomain or "", "/settings/billing/"),
            )
            subject, body = service_mail_text(service_kind, language, values)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def trial_reminder_send(company: Company, kind: str) -> bool:
    """Send one reminder unless it was already sent for this trial end."""
    try:
        with transaction.atomic():
            reminder = TrialReminder.objects.create(company=company, kind=kind, trial_ends_at=company.trial_ends_at)
            recipients = _szefs(company)
            _send(company, kind, recipients)
            reminder.recipients = [email for email, _lang, _name in recipients]
            reminder.save(update_fields=["recipients"])
    except IntegrityError:
        return False
    finally:
        connection.set_schema_to_public()
    logger.info("trial reminder %s sent to company %s", kind, company.schema_name)
    return True


def trial_reminders_send(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    connection.set_schema_to_public()
    due = Company.objects.real().filter(
        status=CompanyStatus.TRIAL, is_ready=True, trial_ends_at__gt=now, trial_ends_at__lte=now + timedelta(days=3)
    )
    sent = 0
    for company in due:
        assert company.trial_ends_at is not None
        try:
            sent += trial_reminder_send(company, _kind(company.trial_ends_at - now))
        except Exception:  # one broken company must not stop the others' reminders
            logger.exception("trial reminder for %s failed", company.schema_name)
    return sent
