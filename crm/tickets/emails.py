"""E-mails about tickets: a staff reply to the contact (through the company's SMTP, the
ticket reference "[#T-12-<token>]" in the subject so the contact's answer is threaded
back) and the note to a staff member a ticket was assigned to (in his language)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from crm.accounts.models import User
from crm.company.mail import company_email_send
from crm.company.mail_templates import mail_text, merge_base
from crm.company.models import EmailTemplateKind
from crm.tickets.models import Ticket, TicketReply
from tenants.selectors import company_active
from tenants.urls_helpers import company_active_url


def ticket_subject(ticket: Ticket) -> str:
    return f"{ticket.reference} {ticket.subject}"


def ticket_reply_email_send(*, ticket: Ticket, reply: TicketReply, to: str) -> int:
    """Send a staff reply to the contact; raises what the mail connection raises."""
    company = company_active()
    context = {"ticket": ticket, "reply": reply, "company": company.name if company is not None else ""}
    merge = merge_base(
        customer=ticket.customer, contact=ticket.contact, user=reply.author, company=str(context["company"])
    )
    merge["ticket"] = {"number": str(ticket.number), "subject": ticket.subject}
    merge["reply"] = {"body": reply.body}
    subject, body = mail_text(
        kind=EmailTemplateKind.TICKET_REPLY,
        language=translation.get_language() or "pl",
        context=merge,
        default=lambda: (ticket_subject(ticket), render_to_string("tickets/email/reply.txt", context)),
    )
    if ticket.reference not in subject:  # the customer's answer must thread back
        subject = f"{ticket.reference} {subject}"
    attachments = []
    for item in reply.attachments.all():
        with item.file.open("rb") as handle:
            attachments.append((item.name, handle.read(), item.content_type))
    reply_to = [ticket.department.email] if ticket.department is not None and ticket.department.email else []
    return company_email_send(subject=subject, body=body, to=[to], reply_to=reply_to, attachments=attachments)


def ticket_assigned_email_send(*, ticket: Ticket, person: User, actor: User | None) -> int:
    """Tell `person` a ticket is now his; raises what the mail connection raises."""
    link = company_active_url(reverse("tickets:ticket_detail", args=[ticket.pk]))
    with translation.override(person.language or "pl"), timezone.override(timezone.get_default_timezone()):
        subject = translation.gettext("Przypisano Ci zgłoszenie #%(number)s: %(subject)s") % {
            "number": ticket.number,
            "subject": ticket.subject,
        }
        body = render_to_string("tickets/email/assigned.txt", {"ticket": ticket, "link": link, "actor": actor})
    return company_email_send(subject=subject, body=body, to=[person.email])
