"""Staff pages of tickets: the list with filters, the new-ticket form, the ticket page
(thread, reply form with predefined replies, quick change of status/priority/department/
assignee), editing, deleting, attachments and the reports.

Every view reads tickets through `tickets_visible_to(user)`: another company's ticket (or
one a Pracownik may not see) is simply not found, 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.access import is_manager
from crm.common.errors import form_apply_validation_error
from crm.common.params import id_or_none
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.contacts.selectors import contacts_visible_to, customers_visible_to
from crm.customfields.definitions import custom_fields_of
from crm.customfields.filters import custom_filters_page
from crm.tickets import services
from crm.tickets.forms import ReplyForm, TicketForm, TicketPanelForm, TicketReportFilterForm, staff_choices
from crm.tickets.models import Department, PredefinedReply, Ticket, TicketAttachment, TicketPriority, TicketStatus
from crm.tickets.selectors import TicketFilters, ticket_report, tickets_visible_to
from crm.tickets.selectors import ticket_list as ticket_list_select


def _ticket_for(request: AuthedRequest, pk: int) -> Ticket:
    tickets = tickets_visible_to(request.user).select_related(
        "customer", "contact", "department", "priority", "status", "assignee", "created_by"
    )
    return get_object_or_404(tickets, pk=pk)


@login_required
@require_GET
def ticket_list(request: AuthedRequest) -> HttpResponse:
    filters = TicketFilters(
        query=request.GET.get("q", "")[:100],
        status_id=id_or_none(request.GET.get("status")),
        priority_id=id_or_none(request.GET.get("priority")),
        department_id=id_or_none(request.GET.get("department")),
        assignee_id=id_or_none(request.GET.get("assignee")),
    )
    tickets = custom_filters_page(
        ticket_list_select(user=request.user, filters=filters), fields=custom_fields_of("ticket"), params=request.GET
    )
    page = Paginator(tickets, 50).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "filters": filters,
        "statuses": list(TicketStatus.objects.all()),
        "priorities": list(TicketPriority.objects.all()),
        "departments": list(Department.objects.all()),
        "staff": list(staff_choices()),
        "can_report": is_manager(request.user),
    }
    return render(request, "tickets/ticket_list.html", ctx)


@login_required
@require_GET
def contact_options(request: AuthedRequest) -> HttpResponse:
    """<option>s of the visible contact persons of one customer, for the ticket form (htmx)."""
    customer_id = id_or_none(request.GET.get("customer"))
    people = contacts_visible_to(request.user).filter(customer_id=customer_id)[:100] if customer_id else []
    return render(request, "sales/_options.html", {"objects": people})


def _initial(request: AuthedRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if "customer" in request.GET:
        customer = customers_visible_to(request.user).filter(pk=id_or_none(request.GET["customer"]) or 0).first()
        if customer is None:
            raise Http404
        initial["customer"] = customer
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def ticket_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = TicketForm(request.POST, user=request.user)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in (*TicketForm.Meta.fields, "body", "custom_fields")}
            try:
                ticket = services.ticket_create(actor=request.user, **data)
            except ValidationError as exc:
                form_apply_validation_error(form, exc)
            else:
                messages.success(request, _("Zapisano zgłoszenie #%(number)s.") % {"number": ticket.number})
                return redirect("tickets:ticket_detail", pk=ticket.pk)
        return render(request, "tickets/ticket_form.html", {"form": form, "ticket": None}, status=400)
    form = TicketForm(initial=_initial(request), user=request.user)
    return render(request, "tickets/ticket_form.html", {"form": form, "ticket": None})


@login_required
@require_http_methods(["GET", "POST"])
def ticket_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = _ticket_for(request, pk)
    if request.method == "POST":
        form = TicketForm(request.POST, instance=ticket, user=request.user, with_body=False)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in (*TicketForm.Meta.fields, "custom_fields")}
            try:
                services.ticket_update(ticket=_ticket_for(request, pk), actor=request.user, **data)
            except ValidationError as exc:
                form_apply_validation_error(form, exc)
            else:
                messages.success(request, _("Zapisano zmiany."))
                return redirect("tickets:ticket_detail", pk=pk)
        return render(request, "tickets/ticket_form.html", {"form": form, "ticket": ticket}, status=400)
    form = TicketForm(instance=ticket, user=request.user, with_body=False)
    return render(request, "tickets/ticket_form.html", {"form": form, "ticket": ticket})


def _detail(
    request: AuthedRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    panel_form: TicketPanelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    replies = ticket.replies.select_related("author", "contact").prefetch_related("attachments")
    predefined = PredefinedReply.objects.filter(owner__isnull=True) | PredefinedReply.objects.filter(owner=request.user)
    ctx = {
        "ticket": ticket,
        "replies": list(replies),
        "reply_form": reply_form or ReplyForm(),
        "panel_form": panel_form or TicketPanelForm(instance=ticket),
        "predefined": list(predefined.order_by("title", "id")),
        "recipient": services.ticket_recipient(ticket),
        "can_delete": is_manager(request.user),
        "sections": card_sections_render(request, "ticket", ticket, places=("main", "side")),
    }
    return render(request, "tickets/ticket_detail.html", ctx, status=status)


@login_required
@require_GET
def ticket_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The thread and the reply form; `?predefined=<id>` puts a predefined reply in it."""
    ticket = _ticket_for(request, pk)
    form = None
    chosen = id_or_none(request.GET.get("predefined"))
    if chosen:
        mine = PredefinedReply.objects.filter(owner__isnull=True) | PredefinedReply.objects.filter(owner=request.user)
        item = mine.filter(pk=chosen).first()
        if item is not None:
            form = ReplyForm(initial={"body": item.body})
    return _detail(request, ticket, reply_form=form)


@login_required
@require_POST
def ticket_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = _ticket_for(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            reply = services.ticket_reply(
                ticket=ticket,
                actor=request.user,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data["internal"],
                files=form.cleaned_data["uploads"],
            )
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            if reply.internal:
                messages.success(request, _("Dodano notatkę wewnętrzną."))
            elif reply.emailed_at:
                messages.success(request, _("Wysłano odpowiedź do %(to)s.") % {"to": services.ticket_recipient(ticket)})
            else:
                messages.success(request, _("Zapisano odpowiedź (zgłoszenie nie ma adresu e-mail klienta)."))
            return redirect("tickets:ticket_detail", pk=pk)
    return _detail(request, _ticket_for(request, pk), reply_form=form, status=400)


@login_required
@require_POST
def ticket_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = _ticket_for(request, pk)
    form = TicketPanelForm(request.POST, instance=ticket)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in TicketPanelForm.Meta.fields}
        try:
            services.ticket_update(ticket=_ticket_for(request, pk), actor=request.user, **data)
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Zapisano zmiany."))
            return redirect("tickets:ticket_detail", pk=pk)
    return _detail(request, _ticket_for(request, pk), panel_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = _ticket_for(request, pk)
    if not is_manager(request.user):
        raise PermissionDenied
    if request.method == "POST":
        services.ticket_delete(ticket=ticket, actor=request.user)
        messages.success(request, _("Usunięto zgłoszenie."))
        return redirect("tickets:ticket_list")
    return render(request, "tickets/ticket_confirm_delete.html", {"ticket": ticket})


@login_required
@require_GET
def attachment_download(request: AuthedRequest, pk: int, attachment_id: int) -> FileResponse:
    ticket = _ticket_for(request, pk)
    item = get_object_or_404(TicketAttachment, pk=attachment_id, reply__ticket=ticket)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def ticket_reports(request: AuthedRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied
    form = TicketReportFilterForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()
    data = form.cleaned_data if form.is_bound and not refused else {}
    report = ticket_report(created_from=data.get("date_from"), created_to=data.get("date_to"))
    return render(request, "tickets/reports.html", {"report": report, "form": form}, status=400 if refused else 200)
