"""Tickets in the portal: the contact's customer's (or only their own, as staff chose),
opened, answered and closed through crm.tickets' services, so staff see them as usual."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.contacts.models import PortalPermission
from crm.portal import selectors
from crm.portal.auth import PortalRequest, portal_page
from crm.portal.forms import ReplyForm, TicketForm
from crm.tickets.models import Ticket, TicketAttachment
from crm.tickets.services import ticket_contact_close, ticket_contact_open, ticket_contact_reply


def apply_errors(form: ReplyForm | TicketForm, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, found in errors.items():
        name = "attachments" if field == "files" else field
        form.add_error(name if name in form.fields else None, found)


def _ticket_for(request: PortalRequest, pk: int) -> Ticket:
    return get_object_or_404(selectors.portal_tickets(request.portal_account.contact), pk=pk)


@portal_page(PortalPermission.TICKETS)
@require_GET
def ticket_list(request: PortalRequest) -> HttpResponse:
    tickets = selectors.portal_tickets(request.portal_account.contact)[:200]
    return render(request, "portal/tickets.html", {"tickets": tickets})


@portal_page(PortalPermission.TICKETS)
@require_http_methods(["GET", "POST"])
def ticket_create(request: PortalRequest) -> HttpResponse:
    form = TicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                ticket = ticket_contact_open(
                    contact=request.portal_account.contact,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    department=form.cleaned_data["department"],
                    priority=form.cleaned_data["priority"],
                    files=request.FILES.getlist("attachments"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Zgłoszenie zostało wysłane."))
                return redirect("portal:ticket_detail", ticket.pk)
        return render(request, "portal/ticket_form.html", {"form": form}, status=400)
    return render(request, "portal/ticket_form.html", {"form": form})


def _detail(request: PortalRequest, ticket: Ticket, form: ReplyForm | None = None, status: int = 200) -> HttpResponse:
    replies = ticket.replies.filter(internal=False).select_related("author").prefetch_related("attachments")
    context = {"ticket": ticket, "replies": replies, "form": form or ReplyForm()}
    return render(request, "portal/ticket.html", context, status=status)


@portal_page(PortalPermission.TICKETS)
@require_GET
def ticket_detail(request: PortalRequest, pk: int) -> HttpResponse:
    return _detail(request, _ticket_for(request, pk))


@portal_page(PortalPermission.TICKETS)
@require_POST
def ticket_reply(request: PortalRequest, pk: int) -> HttpResponse:
    ticket = _ticket_for(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ticket_contact_reply(
                ticket=ticket,
                contact=request.portal_account.contact,
                body=form.cleaned_data["body"],
                files=request.FILES.getlist("attachments"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:ticket_detail", ticket.pk)
    return _detail(request, ticket, form, status=400)


@portal_page(PortalPermission.TICKETS)
@require_POST
def ticket_close(request: PortalRequest, pk: int) -> HttpResponse:
    ticket = _ticket_for(request, pk)
    try:
        ticket_contact_close(ticket=ticket, contact=request.portal_account.contact)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Zgłoszenie zamknięte."))
    return redirect("portal:ticket_detail", ticket.pk)


@portal_page(PortalPermission.TICKETS)
@require_GET
def ticket_attachment(request: PortalRequest, pk: int, attachment_pk: int) -> HttpResponse:
    ticket = _ticket_for(request, pk)
    item = TicketAttachment.objects.filter(pk=attachment_pk, reply__ticket=ticket, reply__internal=False).first()
    if item is None:
        raise Http404
    try:
        with item.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/octet-stream")
    except FileNotFoundError:
        raise Http404 from None
    response["Content-Disposition"] = content_disposition_header(True, item.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
