"""E-mail coming in to the company's support addresses, as posted by the mail provider's
webhook to /inbound/email/ on the company host (see `crm.tickets.public.inbound_email`
for the format). A message whose subject carries a ticket reference "[#T-12-<token>]"
becomes a reply in that ticket; any other message (no reference, or a reference nobody
knows) becomes a new ticket for the department whose address it was sent to. The same
message (by its Message-ID) posted twice makes one reply."""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import strip_tags

from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.uploads import attachment_check
from crm.contacts.models import ContactPerson
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify
from crm.tickets.models import Ticket, TicketAttachment, TicketReply, TicketStatusCode
from crm.tickets.selectors import department_for_address, ticket_by_reference, ticket_default_status
from crm.tickets.services import BODY_MAX, MAX_ATTACHMENTS, SUBJECT_MAX, ticket_create

logger = logging.getLogger(__name__)

REFERENCE_RE = re.compile(r"\[#T-(\d{1,9})-([0-9a-f]{10})\]", re.IGNORECASE)


class InboundError(ValueError):
    """The payload cannot be used (a message for the webhook's log)."""


@dataclass
class InboundMessage:
    sender: str
    sender_name: str
    to: list[str]
    subject: str
    body: str
    message_id: str
    attachments: list[SimpleUploadedFile] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    # Where the provider delivered it (the envelope: a BCC recipient appears only here).
    envelope_to: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InboundResult:
    ticket: Ticket
    reply: TicketReply | None
    created: bool  # a new ticket
    duplicate: bool  # this Message-ID was seen before: nothing changed
    skipped_attachments: int = 0


def _text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def inbound_parse(payload: object) -> InboundMessage:
    """The checked message of a webhook payload; InboundError says what is wrong."""
    if not isinstance(payload, dict):
        raise InboundError("the payload must be a JSON object")
    name, sender = parseaddr(_text(payload.get("from"), 500))
    try:
        validate_email(sender)
    except ValidationError:
        raise InboundError("'from' must be an e-mail address") from None
    to = _addresses(payload.get("to"))
    cc = _addresses(payload.get("cc"))
    envelope_to = _addresses(payload.get("envelope_to")) + _addresses(payload.get("bcc"))
    subject = " ".join(_text(payload.get("subject"), 1000).split())
    body = _text(payload.get("text"), BODY_MAX * 2).strip()
    if not body:
        body = strip_tags(_text(payload.get("html"), BODY_MAX * 4)).strip()
    message_id = _text(payload.get("message_id") or payload.get("message-id"), 255).strip()
    files: list[SimpleUploadedFile] = []
    raw_files = payload.get("attachments") or []
    if not isinstance(raw_files, list):
        raise InboundError("'attachments' must be a list")
    for item in raw_files[:MAX_ATTACHMENTS]:
        if not isinstance(item, dict):
            raise InboundError("each attachment must be an object")
        try:
            content = base64.b64decode(_text(item.get("content"), 50_000_000), validate=True)
        except (binascii.Error, ValueError):
            raise InboundError("an attachment's 'content' must be base64") from None
        files.append(
            SimpleUploadedFile(
                _text(item.get("name"), 300) or "attachment",
                content,
                _text(item.get("content_type"), 100) or "application/octet-stream",
            )
        )
    return InboundMessage(
        sender=sender.lower(),
        sender_name=name[:200],
        to=to,
        subject=subject,
        body=body[:BODY_MAX] or "(—)",
        message_id=message_id,
        attachments=files,
        cc=cc,
        envelope_to=envelope_to,
    )


def _addresses(raw: object) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return [addr for _, addr in getaddresses([_text(item, 2000) for item in items[:50]]) if addr]


# Other apps may claim a message before it becomes a ticket (crm.emails: mail sent to the
# company's BCC address); a handler returns the endpoint's answer, or None to pass.
InboundHandler = Callable[[InboundMessage], dict[str, Any] | None]
_handlers: list[InboundHandler] = []


def inbound_handler_register(handler: InboundHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def inbound_claimed(message: InboundMessage) -> dict[str, Any] | None:
    """The answer of the first handler that claims `message`; None: it is for the tickets."""
    for handler in _handlers:
        answer = handler(message)
        if answer is not None:
            return answer
    return None


def _attach(reply: TicketReply, files: list[SimpleUploadedFile]) -> int:
    """Attach what the upload checks accept; returns how many were left out."""
    skipped = 0
    for upload in files:
        try:
            name, content_type = attachment_check(upload, field="attachments")
        except ValidationError:
            skipped += 1
            continue
        item = TicketAttachment(reply=reply, name=name, content_type=content_type, size=upload.size or 0)
        item.file.save(name, upload, save=False)
        item.save()
    return skipped


def _contact_for(sender: str, ticket: Ticket | None = None) -> ContactPerson | None:
    contacts = ContactPerson.objects.filter(email__iexact=sender).select_related("customer")
    if ticket is not None:
        if ticket.customer_id is None:
            return None
        contacts = contacts.filter(customer_id=ticket.customer_id)
    return contacts.order_by("id").first()


def _subject_clean(subject: str) -> str:
    subject = REFERENCE_RE.sub("", subject)
    subject = re.sub(r"^\s*((re|fw|fwd|odp|pd)\s*:\s*)+", "", subject, flags=re.IGNORECASE).strip()
    return subject[:SUBJECT_MAX] or "(bez tematu)"


def _duplicate(message_id: str) -> InboundResult | None:
    if not message_id:
        return None
    reply = TicketReply.objects.filter(message_id=message_id).select_related("ticket").first()
    if reply is None:
        return None
    return InboundResult(ticket=reply.ticket, reply=reply, created=False, duplicate=True)


def inbound_receive(message: InboundMessage) -> InboundResult:
    """Thread `message` into its ticket, or open a new ticket."""
    found = _duplicate(message.message_id)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _receive(message)
    except IntegrityError:  # the same Message-ID posted twice at once
        found = _duplicate(message.message_id)
        if found is None:
            raise
        return found


def _receive(message: InboundMessage) -> InboundResult:
    match = REFERENCE_RE.search(message.subject)
    ticket = None
    if match:
        number, token = int(match.group(1)), match.group(2).lower()
        ticket = ticket_by_reference(number, token)
    if ticket is None:
        department = next((d for d in map(department_for_address, message.to) if d is not None), None)
        contact = _contact_for(message.sender)
        ticket = ticket_create(
            actor=None,
            subject=_subject_clean(message.subject),
            body=message.body,
            customer=contact.customer if contact is not None else None,
            contact=contact,
            department=department,
            requester_email=message.sender,
            message_id=message.message_id,
        )
        reply = ticket.replies.order_by("id").first()
        skipped = _attach(reply, message.attachments) if reply is not None else 0
        return InboundResult(ticket=ticket, reply=reply, created=True, duplicate=False, skipped_attachments=skipped)
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("status", "assignee").get(pk=ticket.pk)
    contact = _contact_for(message.sender, ticket)
    reply = TicketReply.objects.create(
        ticket=ticket,
        body=message.body,
        contact=contact,
        from_email=message.sender,
        message_id=message.message_id,
    )
    skipped = _attach(reply, message.attachments)
    if ticket.status.code == TicketStatusCode.CLOSED:  # the customer wrote again: reopen
        status = ticket_default_status()
        if status is not None:
            ticket.status, ticket.closed_at = status, None
            ticket.save(update_fields=["status", "closed_at", "updated_at"])
    else:
        ticket.save(update_fields=["updated_at"])
    notify(
        recipient=ticket.assignee,
        kind=NotificationKind.TICKET_ANSWERED,
        title=str(ticket),
        url=reverse("tickets:ticket_detail", args=[ticket.pk]),
    )
    activity_record(
        actor=None,
        kind=ActivityKind.OTHER,
        obj=ticket,
        code="ticket.inbound",
        params={"name": str(ticket), "from": message.sender},
        user_label=message.sender[:254],
    )
    return InboundResult(ticket=ticket, reply=reply, created=False, duplicate=False, skipped_attachments=skipped)
