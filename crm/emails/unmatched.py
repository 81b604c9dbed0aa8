"""BCC copies that matched no customer (Settings > Niedopasowane e-maile, Szef only).

`crm.emails.bcc` keeps such a copy here (and says so in the system log). Szef attaches it
to a customer, which logs it on that customer's timeline exactly as a matched copy would
be, or dismisses it. Copies nobody looked at go after `UNMATCHED_KEEP_DAYS` (beat,
`emails.unmatched_purge_fanout`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.contacts.models import ContactPerson, Customer
from crm.emails.models import CustomerEmail, EmailStatus, UnmatchedEmail

UNMATCHED_KEEP_DAYS = 90


def unmatched_email_keep(
    *,
    sender: str,
    to: list[str],
    cc: list[str],
    subject: str,
    body: str,
    message_id: str,
    attachment_names: list[str],
) -> UnmatchedEmail:
    """Keep a copy that matched nobody; the same Message-ID is kept once."""
    if message_id:
        seen = UnmatchedEmail.objects.filter(message_id=message_id).order_by("id").first()
        if seen is not None:
            return seen
    return UnmatchedEmail.objects.create(
        from_address=sender[:300],
        to=", ".join(to)[:3000],
        cc=", ".join(cc)[:3000],
        subject=subject[:300] or _("(bez tematu)"),
        body=body[:50000],
        message_id=message_id[:255],
        attachment_names=[str(name)[:300] for name in attachment_names][:20],
    )


def _contact_of(customer: Customer, unmatched: UnmatchedEmail) -> ContactPerson | None:
    addresses = [a.strip().lower() for a in f"{unmatched.to}, {unmatched.cc}".split(",") if a.strip()]
    if not addresses:
        return None
    return ContactPerson.objects.filter(customer=customer, email__in=addresses).order_by("id").first()


def unmatched_email_attach(*, actor: User, unmatched: UnmatchedEmail, customer: Customer) -> CustomerEmail:
    """Log the copy on `customer`'s timeline (as a matched BCC copy is) and drop it from the list."""
    sender = get_user_model().objects.filter(email__iexact=unmatched.from_address, is_active=True).first()
    with transaction.atomic():
        email = CustomerEmail.objects.create(
            customer=customer,
            contact=_contact_of(customer, unmatched),
            sender=sender,
            from_address=unmatched.from_address,
            to=unmatched.to,
            cc=unmatched.cc,
            subject=unmatched.subject,
            body=unmatched.body,
            status=EmailStatus.LOGGED,
            message_id=unmatched.message_id,
            sent_at=unmatched.received_at,
        )
        activity_record(
            actor=actor,
            kind=ActivityKind.SETTINGS,
            code="email.unmatched_attached",
            params={"subject": unmatched.subject, "customer": customer.name},
            obj=customer,
        )
        unmatched.delete()
    return email


def unmatched_email_dismiss(*, actor: User, unmatched: UnmatchedEmail) -> None:
    with transaction.atomic():
        activity_record(
            actor=actor,
            kind=ActivityKind.SETTINGS,
            code="email.unmatched_dismissed",
            params={"subject": unmatched.subject},
        )
        unmatched.delete()


def unmatched_emails_purge(*, now: datetime | None = None) -> int:
    """Drop the copies older than UNMATCHED_KEEP_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=UNMATCHED_KEEP_DAYS)
    deleted, _by_model = UnmatchedEmail.objects.filter(received_at__lt=cutoff).delete()
    return int(deleted)
