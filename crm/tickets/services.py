"""Writes of tickets (pages, the API and the inbound e-mail endpoint call these, so the
rules hold everywhere):

- a ticket gets the next number of the company (a locked counter: no two alike under
  concurrency) and starts in the first status that is not the closed one;
- the contact person must belong to the ticket's customer (a contact alone gives the
  customer);
- moving a ticket to the closed status sets `closed_at`, moving it out clears it;
- the first staff reply that is not an internal note sets `first_response_at`; such a
  reply is e-mailed to the contact (the reference "[#T-12-<token>]" in the subject);
  internal notes are never e-mailed;
- assigning a ticket to someone else e-mails him and writes an activity entry.
"""

from __future__ import annotations

import functools
import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import is_manager, sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.common.records import record_event
from crm.common.uploads import attachment_check
from crm.contacts.models import ContactPerson, Customer
from crm.contacts.selectors import customers_visible_to
from crm.documents.numbering import next_number
from crm.notifications.models import NotificationKind
from crm.notifications.services import email_wanted, notify
from crm.tickets.emails import ticket_assigned_email_send, ticket_reply_email_send
from crm.tickets.models import (
    Department,
    Ticket,
    TicketAttachment,
    TicketPriority,
    TicketReply,
    TicketStatus,
    TicketStatusCode,
)
from crm.tickets.selectors import ticket_closed_status, ticket_default_status, tickets_visible_to
from crm.trash.services import trash_keep

logger = logging.getLogger(__name__)

NUMBER_SERIES = "ticket"
SUBJECT_MAX = 200
BODY_MAX = 50000
MAX_ATTACHMENTS = 10
EDITABLE_FIELDS = ("custom_fields", "subject", "customer", "contact", "department", "priority", "status", "assignee")


def _shown(ticket: Ticket) -> dict[str, str]:
    return {name: "" if getattr(ticket, name) is None else str(getattr(ticket, name)) for name in EDITABLE_FIELDS}


def _rules_check(ticket: Ticket, actor: User | None) -> None:
    errors: dict[str, str] = {}
    if not (ticket.subject or "").strip():
        errors["subject"] = _("Podaj temat zgłoszenia.")
    elif len(ticket.subject) > SUBJECT_MAX:
        errors["subject"] = _("Temat może mieć najwyżej 200 znaków.")
    if ticket.contact_id and ticket.contact is not None:
        if ticket.customer_id is None:
            ticket.customer = ticket.contact.customer
        elif ticket.contact.customer_id != ticket.customer_id:
            errors["contact"] = _("Osoba kontaktowa należy do innego klienta.")
    if (
        actor is not None
        and ticket.customer_id
        and not sees_everything(actor)
        and not customers_visible_to(actor, everything=False).filter(pk=ticket.customer_id).exists()
    ):
        errors["customer"] = _("Wybierz klienta z listy.")
    if ticket.assignee_id and ticket.assignee is not None and not ticket.assignee.is_active:
        errors["assignee"] = _("Wybierz aktywną osobę.")
    if errors:
        raise ValidationError(errors)


def _log(ticket: Ticket, actor: User | None, *, kind: str, code: str, params: dict[str, Any]) -> None:
    activity_record(actor=actor, kind=kind, obj=ticket, code=code, params=params)


def ticket_may_change(user: User, ticket: Ticket) -> bool:
    """Who may answer and change a ticket: Szef, Kierownik and anyone who sees it."""
    return is_manager(user) or tickets_visible_to(user).filter(pk=ticket.pk).exists()


def ticket_change_check(user: User, ticket: Ticket) -> None:
    if not ticket_may_change(user, ticket):
        raise PermissionDenied(_("Nie masz dostępu do tego zgłoszenia."))


def _assigned_notify(ticket: Ticket, actor: User | None) -> None:
    """E-mail the new assignee (not when he assigned it to himself) and log it."""
    person = ticket.assignee
    if person is None:
        return
    params = {"name": str(ticket), "assignee": str(person)}
    _log(ticket, actor, kind=ActivityKind.OTHER, code="ticket.assigned", params=params)
    if actor is not None and actor.pk == person.pk:
        return
    url = reverse("tickets:ticket_detail", args=[ticket.pk])
    notify(
        recipient=person, kind=NotificationKind.TICKET_ASSIGNED, title=str(ticket), url=url, actor=actor, email=False
    )
    if not (person.is_active and person.email) or not email_wanted(person, NotificationKind.TICKET_ASSIGNED):
        return
    # Sent by the worker once the assignment is saved: the request does not wait for SMTP.
    transaction.on_commit(
        functools.partial(_assigned_queue, ticket.pk, person.pk, actor.pk if actor is not None else None)
    )


def _assigned_queue(ticket_id: int, person_id: int, actor_id: int | None) -> None:
    from crm.tickets.tasks import ticket_assigned_email_send_task
    from tenants.queue import enqueue

    enqueue(ticket_assigned_email_send_task, ticket_id, person_id, actor_id)


def ticket_assigned_notify_send(*, ticket_id: int, person_id: int, actor_id: int | None) -> bool:
    """The worker's half: e-mail the assignee if the ticket is still his (it may have been
    reassigned or deleted since); False when nothing was sent."""
    ticket = Ticket.objects.select_related("customer").filter(pk=ticket_id, assignee_id=person_id).first()
    person = User.objects.filter(pk=person_id, is_active=True).exclude(email="").first()
    if ticket is None or person is None:
        return False
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    try:
        ticket_assigned_email_send(ticket=ticket, person=person, actor=actor)
    except (smtplib.SMTPException, OSError):  # the assignment stands; the log says who
        logger.exception("ticket %s: the assignment e-mail failed", ticket.pk)
        return False
    return True


def _closed_apply(ticket: Ticket) -> None:
    closed = ticket.status.code == TicketStatusCode.CLOSED if ticket.status_id else False
    if closed and ticket.closed_at is None:
        ticket.closed_at = timezone.now()
    elif not closed:
        ticket.closed_at = None


def ticket_create(
    *,
    actor: User | None,
    subject: str,
    body: str = "",
    customer: Customer | None = None,
    contact: ContactPerson | None = None,
    department: Department | None = None,
    priority: TicketPriority | None = None,
    status: TicketStatus | None = None,
    assignee: User | None = None,
    requester_email: str = "",
    message_id: str = "",
    custom_fields: dict[str, Any] | None = None,
) -> Ticket:
    """A new ticket; `body` becomes the first message of the thread (from the contact or
    the requester: it is the customer's request). The assignee hears of it once saved."""
    with transaction.atomic():
        ticket = _create(
            actor=actor,
            subject=subject,
            body=body,
            customer=customer,
            contact=contact,
            department=department,
            priority=priority,
            status=status,
            assignee=assignee,
            requester_email=requester_email,
            message_id=message_id,
            custom_fields=custom_fields or {},
        )
    if ticket.assignee_id:
        _assigned_notify(ticket, actor)
    return ticket


def _create(
    *,
    actor: User | None,
    subject: str,
    body: str,
    customer: Customer | None,
    contact: ContactPerson | None,
    department: Department | None,
    priority: TicketPriority | None,
    status: TicketStatus | None,
    assignee: User | None,
    requester_email: str,
    message_id: str,
    custom_fields: dict[str, Any],
) -> Ticket:
    status = status or ticket_default_status()
    if status is None:
        raise ValidationError({"status": _("Dodaj status zgłoszeń w Ustawieniach.")})
    ticket = Ticket(
        subject=(subject or "").strip(),
        customer=customer,
        contact=contact,
        department=department,
        priority=priority or TicketPriority.objects.order_by("position", "id")[1:2].first(),
        status=status,
        assignee=assignee,
        requester_email=(requester_email or (contact.email if contact is not None else "")).strip(),
        created_by=actor if actor is not None and actor.pk else None,
        custom_fields=custom_fields,
    )
    _rules_check(ticket, actor)
    if len(body or "") > BODY_MAX:
        raise ValidationError({"body": _("Treść może mieć najwyżej 50000 znaków.")})
    ticket.number = next_number(series=NUMBER_SERIES, period="")
    _closed_apply(ticket)
    ticket.save()
    if (body or "").strip():
        TicketReply.objects.create(
            ticket=ticket,
            body=body.strip(),
            contact=ticket.contact,
            from_email=ticket.requester_email,
            message_id=(message_id or "")[:255],
        )
    params = {"name": str(ticket), "customer": ticket.customer.name if ticket.customer else ticket.requester_email}
    _log(ticket, actor, kind=ActivityKind.CREATE, code="ticket.created", params=params)
    return ticket


def ticket_update(*, ticket: Ticket, actor: User | None, **changes: Any) -> Ticket:
    """Change any of EDITABLE_FIELDS; a new assignee hears of it once saved."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"ticket_update got unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        ticket, assignee_before = _update(ticket=ticket, actor=actor, changes=changes)
    if ticket.assignee_id and ticket.assignee_id != assignee_before:
        _assigned_notify(ticket, actor)
    return ticket


def _update(*, ticket: Ticket, actor: User | None, changes: dict[str, Any]) -> tuple[Ticket, int | None]:
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("status", "contact").get(pk=ticket.pk)
    if actor is not None:
        ticket_change_check(actor, ticket)
    before = _shown(ticket)
    assignee_before = ticket.assignee_id
    for name, value in changes.items():
        setattr(ticket, name, value)
    contact = ticket.contact
    if "customer" in changes and "contact" not in changes and contact is not None:
        ticket.contact = contact if contact.customer_id == ticket.customer_id else None
    ticket.subject = (ticket.subject or "").strip()
    if ticket.status_id is None:
        raise ValidationError({"status": _("Wybierz status z listy.")})
    _rules_check(ticket, actor)
    _closed_apply(ticket)
    ticket.save()
    changed = field_changes(before, _shown(ticket))
    if changed:
        _log(
            ticket,
            actor,
            kind=ActivityKind.UPDATE,
            code="ticket.updated",
            params={"name": str(ticket), "changes": changed},
        )
    return ticket, assignee_before


@transaction.atomic
def ticket_delete(*, ticket: Ticket, actor: User) -> None:
    """Delete a ticket with its thread; it goes to the trash (Szef restores it)."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if not is_manager(actor):
        raise PermissionDenied(_("Usuwać zgłoszenia może Kierownik albo Szef."))
    _log(ticket, actor, kind=ActivityKind.DELETE, code="ticket.deleted", params={"name": str(ticket)})
    trash_keep(obj=ticket, actor=actor)
    ticket.delete()


def ticket_recipient(ticket: Ticket) -> str:
    """Where staff replies go: the contact's e-mail, else the address that wrote in."""
    if ticket.contact is not None and ticket.contact.email:
        return ticket.contact.email
    return ticket.requester_email


def _files_attach(reply: TicketReply, files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Dołącz najwyżej %(n)s plików.") % {"n": MAX_ATTACHMENTS}})
    for upload in files:
        name, content_type = attachment_check(upload, field="files")
        item = TicketAttachment(reply=reply, name=name, content_type=content_type, size=upload.size or 0)
        item.file.save(name, upload, save=False)
        item.save()


def ticket_reply(
    *,
    ticket: Ticket,
    actor: User,
    body: str,
    internal: bool = False,
    files: Sequence[UploadedFile] = (),
) -> TicketReply:
    """A staff answer in the thread. Not internal: e-mailed to the contact; when the
    e-mail cannot be sent nothing is saved (a ValidationError says why)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Wpisz treść odpowiedzi.")})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": _("Treść może mieć najwyżej 50000 znaków.")})
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("contact", "department", "customer")
            .get(pk=ticket.pk)
        )
        ticket_change_check(actor, ticket)
        reply = TicketReply.objects.create(ticket=ticket, body=body, author=actor, internal=internal)
        _files_attach(reply, files)
        if not internal:
            if ticket.first_response_at is None:
                ticket.first_response_at = reply.created_at
                ticket.save(update_fields=["first_response_at", "updated_at"])
            to = ticket_recipient(ticket)
            if to:
                try:
                    ticket_reply_email_send(ticket=ticket, reply=reply, to=to)
                except (smtplib.SMTPException, OSError) as exc:
                    raise ValidationError(
                        _("Nie udało się wysłać e-maila (%(error)s). Odpowiedź nie została zapisana.")
                        % {"error": str(exc)[:200]}
                    ) from exc
                reply.emailed_at = timezone.now()
                reply.save(update_fields=["emailed_at"])
        params = {"name": str(ticket)}
        code = "ticket.note" if internal else "ticket.replied"
        _log(ticket, actor, kind=ActivityKind.OTHER, code=code, params=params)
        if ticket.customer_id and not internal:
            record_event(
                obj=ticket,
                actor=actor,
                kind="ticket_replied",
                message=_("Odpowiedziano na zgłoszenie %(name)s.") % params,
                code=code,
                params=params,
            )
    return reply


# --- the contact person's side (the client portal, crm.portal) ------------------------


def ticket_contact_open(
    *,
    contact: ContactPerson,
    subject: str,
    body: str,
    department: Department | None = None,
    priority: TicketPriority | None = None,
    files: Sequence[UploadedFile] = (),
) -> Ticket:
    """A ticket the contact person opens in the portal: for their customer, from them,
    with the first message and its attachments; staff see it as any other new ticket."""
    if not (body or "").strip():
        raise ValidationError({"body": _("Opisz, w czym możemy pomóc.")})
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Najwyżej 10 załączników.")})
    with transaction.atomic():
        ticket = _create(
            actor=None,
            subject=subject,
            body=body,
            customer=contact.customer,
            contact=contact,
            department=department,
            priority=priority,
            status=None,
            assignee=None,
            requester_email="",
            message_id="",
            custom_fields={},  # staff's own fields: not the customer's to fill in
        )
        reply = ticket.replies.order_by("id").first()
        if reply is not None:
            _files_attach(reply, files)
    return ticket


def ticket_contact_reply(
    *, ticket: Ticket, contact: ContactPerson, body: str, files: Sequence[UploadedFile] = ()
) -> TicketReply:
    """The contact person's answer in the thread (the portal); a closed ticket opens again,
    as when the customer writes back by e-mail."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Wpisz treść odpowiedzi.")})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": _("Treść może mieć najwyżej 50000 znaków.")})
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Najwyżej 10 załączników.")})
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).select_related("status").get(pk=ticket.pk)
        reply = TicketReply.objects.create(ticket=ticket, body=body, contact=contact, from_email=contact.email)
        _files_attach(reply, files)
        if ticket.status.code == TicketStatusCode.CLOSED:
            status = ticket_default_status()
            if status is not None:
                ticket.status, ticket.closed_at = status, None
                ticket.save(update_fields=["status", "closed_at", "updated_at"])
        else:
            ticket.save(update_fields=["updated_at"])
        activity_record(
            actor=None,
            kind=ActivityKind.OTHER,
            obj=ticket,
            code="ticket.inbound",
            params={"name": str(ticket), "from": contact.email},
            user_label=(contact.email or contact.name)[:254],
        )
    return reply


def ticket_contact_close(*, ticket: Ticket, contact: ContactPerson) -> Ticket:
    """The contact person closes their ticket in the portal."""
    closed = ticket_closed_status()
    if closed is None:
        raise ValidationError(_("Dodaj status zgłoszeń w Ustawieniach."))
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
        ticket.status = closed
        _closed_apply(ticket)
        ticket.save(update_fields=["status", "closed_at", "updated_at"])
        activity_record(
            actor=None,
            kind=ActivityKind.OTHER,
            obj=ticket,
            code="ticket.inbound",
            params={"name": str(ticket), "from": contact.email},
            user_label=(contact.email or contact.name)[:254],
        )
    return ticket
