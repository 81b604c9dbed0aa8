"""The company's BCC address: staff put bcc+<token>@<inbound domain> in BCC of mail they
send from their own program; the mail provider posts the copy to the inbound endpoint
(crm.tickets.public, the same secret), and it is logged here on the timeline of each
customer it was sent to (matched by the customer's or a contact person's address).
A copy that matches nobody is kept for Szef to attach or dismiss (crm.emails.unmatched),
and the system log says so."""

from __future__ import annotations

import hmac
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.common.uploads import attachment_check
from crm.contacts.models import ContactPerson, Customer
from crm.emails.models import CustomerEmail, CustomerEmailAttachment, EmailStatus, MailboxSettings
from crm.emails.unmatched import unmatched_email_keep
from crm.systemlog.models import SystemEventKind, SystemEventLevel
from crm.systemlog.services import system_event_record
from crm.tickets.inbound import InboundMessage

MAX_CUSTOMERS = 10


def _bcc_token(address: str) -> str | None:
    local = address.split("@", 1)[0].lower()
    return local[4:] if local.startswith("bcc+") else None


def _customers_for(addresses: list[str]) -> list[tuple[Customer, ContactPerson | None]]:
    found: dict[int, tuple[Customer, ContactPerson | None]] = {}
    for address in addresses:
        contact = ContactPerson.objects.filter(email__iexact=address).select_related("customer").order_by("id").first()
        if contact is not None:
            found.setdefault(contact.customer_id, (contact.customer, contact))
            continue
        customer = Customer.objects.filter(email__iexact=address).order_by("id").first()
        if customer is not None:
            found.setdefault(customer.pk, (customer, None))
    return list(found.values())[:MAX_CUSTOMERS]


def bcc_inbound_handle(message: InboundMessage) -> dict[str, Any] | None:
    """Claims a message delivered to a bcc+<token> address (None: not a BCC copy)."""
    everywhere = [*message.envelope_to, *message.to, *message.cc]
    tokens = [t for t in map(_bcc_token, everywhere) if t is not None]
    if not tokens:
        return None
    expected = MailboxSettings.current().bcc_token
    if not any(hmac.compare_digest(t.encode(), expected.encode()) for t in tokens):
        return {"logged": False, "email": None, "error": "unknown BCC address"}
    if message.message_id:
        seen = CustomerEmail.objects.filter(message_id=message.message_id).order_by("id").first()
        if seen is not None:
            return {"logged": True, "email": seen.pk, "duplicate": True}
    recipients = [a for a in [*message.to, *message.cc] if _bcc_token(a) is None]
    matches = _customers_for(recipients)
    if not matches:
        kept = unmatched_email_keep(
            sender=message.sender,
            to=[a for a in message.to if _bcc_token(a) is None],
            cc=[a for a in message.cc if _bcc_token(a) is None],
            subject=message.subject,
            body=message.body,
            message_id=message.message_id,
            attachment_names=[getattr(upload, "name", "") or "" for upload in message.attachments],
        )
        system_event_record(
            kind=SystemEventKind.EMAIL_UNMATCHED,
            level=SystemEventLevel.WARNING,
            message=_("Kopia BCC „%(subject)s” od %(sender)s nie pasuje do żadnego klienta (do: %(to)s).")
            % {"subject": message.subject[:150], "sender": message.sender, "to": ", ".join(recipients)[:300] or "—"},
            detail={"subject": message.subject, "from": message.sender, "to": recipients},
            obj=kept,
        )
        return {"logged": False, "email": None, "unmatched": kept.pk}
    sender = get_user_model().objects.filter(email__iexact=message.sender, is_active=True).first()
    now = timezone.now()
    to = [a for a in message.to if _bcc_token(a) is None]
    cc = [a for a in message.cc if _bcc_token(a) is None]
    first: CustomerEmail | None = None
    with transaction.atomic():
        for customer, contact in matches:
            email = CustomerEmail.objects.create(
                customer=customer,
                contact=contact,
                sender=sender,
                from_address=message.sender,
                to=", ".join(to)[:3000],
                cc=", ".join(cc)[:3000],
                subject=message.subject[:300] or _("(bez tematu)"),
                body=message.body,
                status=EmailStatus.LOGGED,
                message_id=message.message_id,
                sent_at=now,
            )
            for upload in message.attachments:
                try:
                    name, content_type = attachment_check(upload, field="attachments")
                except ValidationError:
                    continue
                upload.seek(0)
                item = CustomerEmailAttachment(email=email, name=name, content_type=content_type, size=upload.size or 0)
                item.file.save(name, upload, save=False)
                item.save()
            first = first or email
    assert first is not None
    return {"logged": True, "email": first.pk}
