"""Staff pages of leads: the list with filters and sort, the board by status (drag and
drop), the form, the card with its history and the conversion, deleting and the export.

Every view reads leads through `leads_visible_to(user)`: another company's lead (or, for
a restricted Pracownik, a colleague's) is simply not found, 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.access import CustomerAction, may_customers, may_export_personal_data, refusal_as_json
from crm.accounts.models import User
from crm.activity.models import ActivityEntry
from crm.activity.services import activity_export_record
from crm.categories.models import ContactSource
from crm.common.errors import form_apply_error, form_apply_validation_error
from crm.common.exports import csv_response, xlsx_response
from crm.common.params import id_or_none
from crm.common.policy import allowed_when_locked
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.customfields.definitions import custom_fields_of
from crm.customfields.filters import custom_filters_page
from crm.customfields.values import custom_export_columns
from crm.leads import services
from crm.leads.forms import LeadConvertForm, LeadForm, LeadMoveForm, LeadTaskForm
from crm.leads.models import Lead, LeadStatusCode
from crm.leads.records import LEAD
from crm.leads.selectors import (
    ORDERINGS,
    lead_change_check,
    lead_may_change,
    lead_statuses,
    leads_visible_to,
)
from crm.leads.selectors import lead_list as lead_list_select
from crm.tasks.selectors import tasks_visible_to

BOARD_LIMIT = 100
FILTER_KEYS = ("q", "status", "source", "owner", "open")


def _lead_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Lead:
    leads = leads_visible_to(request.user).select_related(
        "status", "source", "owner", "created_by", "converted_customer", "converted_contact", "converted_deal"
    )
    lead = get_object_or_404(leads, pk=pk)
    if change:
        lead_change_check(request.user, lead)
    return lead


def _filters(params: Mapping[str, Any]) -> dict[str, Any]:
    sort = params.get("sort", "")
    return {
        "query": params.get("q", "")[:100],
        "status_id": id_or_none(params.get("status")),
        "source_id": id_or_none(params.get("source")),
        "owner_id": id_or_none(params.get("owner")),
        "open_only": params.get("open") == "1",
        "ordering": sort if sort in ORDERINGS else "",
    }


def lead_list_matching(
    *, user: User, params: Mapping[str, Any], chosen: dict[str, Any] | None = None
) -> QuerySet[Lead]:
    """Every lead the list (and its export) shows for these query parameters, on all its
    pages; also the set "select all matching" of a bulk action names (crm.bulk)."""
    chosen = chosen if chosen is not None else _filters(params)
    return custom_filters_page(lead_list_select(user=user, **chosen), fields=custom_fields_of("lead"), params=params)


def _filter_context(request: AuthedRequest, chosen: dict[str, Any]) -> dict[str, Any]:
    return {
        **chosen,
        "q": chosen["query"],
        "sort": chosen["ordering"] or "-created_at",
        "statuses": lead_statuses(),
        "sources": list(ContactSource.objects.all()),
        "staff": list(User.objects.filter(is_active=True).order_by("name", "email")),
    }


@login_required
@require_GET
def lead_list(request: AuthedRequest) -> HttpResponse:
    chosen = _filters(request.GET)
    leads = lead_list_matching(user=request.user, params=request.GET, chosen=chosen)
    page = Paginator(leads, 50).get_page(request.GET.get("page"))
    may_import = may_customers(request.user, CustomerAction.IMPORT)
    ctx = {"page": page, "may_import": may_import, **_filter_context(request, chosen)}
    return render(request, "leads/lead_list.html", ctx)


@login_required
@require_GET
def lead_board(request: AuthedRequest) -> HttpResponse:
    """The leads by status: one column per status of the list, in its order."""
    chosen = {**_filters(request.GET), "status_id": None}
    leads = lead_list_select(user=request.user, **chosen)
    columns = []
    for status in lead_statuses():
        column = leads.filter(status=status)
        columns.append({"status": status, "count": column.count(), "leads": list(column[:BOARD_LIMIT])})
    ctx = {"columns": columns, **_filter_context(request, chosen)}
    return render(request, "leads/lead_board.html", ctx)


@login_required
@require_POST
@refusal_as_json
def lead_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Drag and drop on the board: POST `status` (+ `lost_reason`); answers JSON."""
    lead = _lead_for(request, pk, change=True)
    form = LeadMoveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": _("Wybierz status z listy.")}, status=400)
    try:
        services.lead_status_set(
            lead=lead,
            actor=request.user,
            status=form.cleaned_data["status"],
            lost_reason=form.cleaned_data.get("lost_reason") or "",
        )
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True, "status": form.cleaned_data["status"].pk})


def _save(request: AuthedRequest, form: LeadForm, lead: Lead | None) -> Lead | None:
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    data["custom_fields"] = form.cleaned_data["custom_fields"]
    try:
        if lead is None:
            return services.lead_create(actor=request.user, **data)
        return services.lead_update(lead=lead, actor=request.user, **data)
    except ValidationError as exc:
        form_apply_validation_error(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = LeadForm(request.POST, user=request.user)
        if lead := _save(request, form, None):
            messages.success(request, _("Zapisano leada."))
            return redirect("leads:lead_detail", pk=lead.pk)
        return render(request, "leads/lead_form.html", {"form": form, "lead": None}, status=400)
    form = LeadForm(initial={"owner": request.user}, user=request.user)
    return render(request, "leads/lead_form.html", {"form": form, "lead": None})


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, change=True)
    if request.method == "POST":
        form = LeadForm(request.POST, instance=lead, user=request.user)
        fresh = _lead_for(request, pk, change=True)  # the form writes its data onto `lead`
        if _save(request, form, fresh):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("leads:lead_detail", pk=pk)
        return render(request, "leads/lead_form.html", {"form": form, "lead": fresh}, status=400)
    form = LeadForm(instance=lead, user=request.user)
    return render(request, "leads/lead_form.html", {"form": form, "lead": lead})


def _history(lead: Lead) -> list[ActivityEntry]:
    return list(
        ActivityEntry.objects.filter(object_type="leads.lead", object_id=str(lead.pk))
        .select_related("user")
        .order_by("-created_at", "-id")[:50]
    )


def _detail(
    request: AuthedRequest,
    lead: Lead,
    form: LeadConvertForm | None = None,
    status: int = 200,
    task_form: LeadTaskForm | None = None,
) -> HttpResponse:
    ctx = {
        "tasks": list(
            tasks_visible_to(request.user)
            .filter(lead=lead)
            .select_related("assignee")
            .order_by("done", "due_at", "id")[:50]
        ),
        "task_form": task_form or LeadTaskForm(),
        "lead": lead,
        "can_change": lead_may_change(request.user, lead),
        "may_export_personal_data": may_export_personal_data(request.user),
        "convert_form": form
        or LeadConvertForm(initial={"deal_name": lead.company_name or lead.name, "deal_value": lead.value}),
        "history": _history(lead),
        "lost": lead.status.code == LeadStatusCode.LOST,
        "sections": card_sections_render(request, "lead", lead, places=("main", "side")),
    }
    return render(request, "leads/lead_detail.html", ctx, status=status)


@login_required
@require_GET
def lead_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _lead_for(request, pk))


@login_required
@require_POST
def lead_convert(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, change=True)
    form = LeadConvertForm(request.POST)
    if not form.is_valid():
        return _detail(request, lead, form, status=400)
    try:
        conversion = services.lead_convert(
            lead=lead,
            actor=request.user,
            create_deal=form.cleaned_data["create_deal"],
            deal_name=form.cleaned_data.get("deal_name") or "",
            deal_value=form.cleaned_data.get("deal_value"),
        )
    except services.LeadConvertError as exc:
        form_apply_error(form, exc)
        return _detail(request, _lead_for(request, pk), form, status=400)
    except ValidationError as exc:
        form_apply_validation_error(form, exc)
        return _detail(request, _lead_for(request, pk), form, status=400)
    if conversion.customer_created:
        messages.success(
            request, _("Skonwertowano leada: utworzono klienta „%(name)s”.") % {"name": conversion.customer.name}
        )
    else:
        messages.success(
            request,
            _("Skonwertowano leada: połączono z istniejącym klientem „%(name)s”.") % {"name": conversion.customer.name},
        )
    return redirect("contacts:customer_detail", pk=conversion.customer.pk)


@login_required
@require_POST
def lead_task_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """A task about the lead, from the card."""
    lead = _lead_for(request, pk, change=True)
    form = LeadTaskForm(request.POST)
    if form.is_valid():
        try:
            services.lead_task_add(
                lead=lead, actor=request.user, title=form.cleaned_data["title"], due_at=form.cleaned_data["due_at"]
            )
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Dodano zadanie."))
            return redirect("leads:lead_detail", pk=pk)
    return _detail(request, lead, status=400, task_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def lead_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, change=True)
    if request.method == "POST":
        try:
            services.lead_delete(lead=lead, actor=request.user)
        except PermissionDenied:
            raise
        messages.success(request, _("Usunięto leada."))
        return redirect("leads:lead_list")
    return render(request, "leads/lead_confirm_delete.html", {"lead": lead})


def _export_row(lead: Lead) -> list[Any]:
    values = {
        "source": lead.source.name if lead.source else "",
        "status": lead.status.name,
        "owner": str(lead.owner) if lead.owner else "",
        "converted_customer": lead.converted_customer.name if lead.converted_customer else "",
        "created_at": timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M"),
    }
    return [values[name] if name in values else getattr(lead, name) for name, _label in LEAD.export_columns]


def _export_rows(leads: Any) -> Any:
    _headers, custom_cells = custom_export_columns(custom_fields_of("lead"))
    for lead in leads.iterator(chunk_size=500):
        yield [*_export_row(lead), *custom_cells(lead)]


@allowed_when_locked
@login_required
@require_GET
def lead_export(request: AuthedRequest) -> HttpResponseBase:
    """The filtered list as CSV (default) or XLSX (`?format=xlsx`)."""
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    leads = lead_list_matching(user=request.user, params=request.GET)
    shown = {key: request.GET.get(key, "") for key in request.GET if key in FILTER_KEYS or key.startswith("cf_")}
    activity_export_record(actor=request.user, what="leads", file_format=file_format, rows=leads.count(), filters=shown)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    custom_headers, _cells = custom_export_columns(custom_fields_of("lead"))
    header = [*(str(label) for _name, label in LEAD.export_columns), *custom_headers]
    rows = _export_rows(leads)
    if file_format == "xlsx":
        return xlsx_response(filename=f"leady-{stamp}.xlsx", sheet_title=_("Leady"), header=header, rows=rows)
    return csv_response(filename=f"leady-{stamp}.csv", header=header, rows=rows)
