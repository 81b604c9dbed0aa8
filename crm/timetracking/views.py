"""Staff pages of time tracking: the weekly timesheet, entries typed in (new, edit,
delete), the timer (start, stop: forms that come back to the page they were sent from),
a project's time (the project card's block as a page of its own) and billing it.

Entries are read through `time_entries_visible_to(user)` and projects through
`projects_visible_to(user)`: anything else is simply not found, 404.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.activity.services import activity_export_record
from crm.common.errors import form_apply_validation_error
from crm.common.exports import csv_response
from crm.common.params import id_or_none
from crm.common.types import AuthedRequest
from crm.projects.models import Project
from crm.timetracking import services
from crm.timetracking.cards import project_section_context
from crm.timetracking.forms import InvoiceTimeForm, TimeEntryForm, TimerStartForm, TimesheetForm
from crm.timetracking.models import TimeEntry
from crm.timetracking.records import EXPORT_COLUMNS
from crm.timetracking.selectors import (
    projects_visible_to,
    time_entries_visible_to,
    time_entry_may_change,
    timesheet,
    timesheet_users,
    week_monday,
)

FORM_FIELDS = ("project", "task", "started_at", "ended_at", "minutes", "billable", "note")


def _next_url(request: AuthedRequest, fallback: str) -> str:
    """The page a form came from (a path on this host only), else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    if target.startswith("/") and safe:
        return target
    return fallback


def _entry_for(request: AuthedRequest, pk: int, *, change: bool = False) -> TimeEntry:
    entries = time_entries_visible_to(request.user).select_related("project", "task", "user", "invoice")
    entry = get_object_or_404(entries, pk=pk)
    if change and not time_entry_may_change(request.user, entry):
        raise PermissionDenied(_("Pracownik zmienia tylko własny czas pracy."))
    return entry


def _project_for(request: AuthedRequest, pk: int) -> Project:
    return get_object_or_404(projects_visible_to(request.user).select_related("customer"), pk=pk)


@login_required
@require_GET
def timesheet_view(request: AuthedRequest) -> HttpResponse:
    """Mon-Sun hours of one person by project and task; Szef and Kierownik pick the person."""
    people = timesheet_users(request.user)
    form = TimesheetForm(request.GET or None, people=people)
    if form.is_bound and not form.is_valid():
        if "user" in form.errors and "user" in request.GET and id_or_none(request.GET["user"]) is not None:
            raise Http404  # someone this person may not see (or not in this company)
        return render(request, "timetracking/timesheet.html", {"form": form, "sheet": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    person = data.get("user") or request.user
    monday = week_monday(data.get("week") or timezone.localdate())
    sheet = timesheet(person=person, monday=monday)
    ctx = {
        "form": TimesheetForm(initial={"user": person, "week": monday}, people=people),
        "sheet": sheet,
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
        "person": person,
        "own": person.pk == request.user.pk,
    }
    return render(request, "timetracking/timesheet.html", ctx)


def _save(request: AuthedRequest, form: TimeEntryForm, entry: TimeEntry | None) -> TimeEntry | None:
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in FORM_FIELDS}
    if "user" in form.fields:
        data["user"] = form.cleaned_data.get("user")
    try:
        if entry is None:
            return services.time_entry_create(actor=request.user, **data)
        if entry.running:
            data = {name: data[name] for name in ("project", "task", "note")}
        return services.time_entry_update(entry=entry, actor=request.user, **data)
    except ValidationError as exc:
        form_apply_validation_error(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = TimeEntryForm(request.POST, user=request.user)
        if entry := _save(request, form, None):
            messages.success(request, _("Zapisano czas pracy."))
            return redirect(_next_url(request, f"{reverse('timetracking:timesheet')}?week={entry.started_at.date()}"))
        return render(request, "timetracking/entry_form.html", {"form": form, "entry": None}, status=400)
    initial: dict[str, Any] = {"billable": True}
    if project := projects_visible_to(request.user).filter(pk=id_or_none(request.GET.get("project")) or 0).first():
        initial["project"] = project
        initial["task"] = project.tasks.filter(pk=id_or_none(request.GET.get("task")) or 0).first()
    form = TimeEntryForm(initial=initial, user=request.user)
    return render(request, "timetracking/entry_form.html", {"form": form, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk, change=True)
    if request.method == "POST":
        form = TimeEntryForm(request.POST, user=request.user)
        if _save(request, form, entry):
            messages.success(request, _("Zapisano zmiany."))
            return redirect(_next_url(request, reverse("timetracking:timesheet")))
        return render(request, "timetracking/entry_form.html", {"form": form, "entry": entry}, status=400)
    initial = {name: getattr(entry, name) for name in FORM_FIELDS}
    initial["user"] = entry.user
    if entry.started_at:
        initial["started_at"] = timezone.localtime(entry.started_at)
    if entry.ended_at:
        initial["ended_at"] = timezone.localtime(entry.ended_at)
    form = TimeEntryForm(initial=initial, user=request.user)
    return render(request, "timetracking/entry_form.html", {"form": form, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk, change=True)
    if request.method == "POST":
        try:
            services.time_entry_delete(entry=entry, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("timetracking:entry_edit", pk=pk)
        messages.success(request, _("Usunięto wpis czasu pracy."))
        return redirect(_next_url(request, reverse("timetracking:timesheet")))
    return render(request, "timetracking/entry_confirm_delete.html", {"entry": entry})


@login_required
@require_POST
def timer_start(request: AuthedRequest) -> HttpResponse:
    form = TimerStartForm(request.POST, user=request.user)
    back = _next_url(request, reverse("timetracking:timesheet"))
    if not form.is_valid():
        if "project" in form.errors:
            raise Http404
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        entry = services.timer_start(
            actor=request.user,
            project=form.cleaned_data["project"],
            task=form.cleaned_data.get("task"),
            note=form.cleaned_data.get("note") or "",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Licznik czasu ruszył: %(project)s.") % {"project": entry.project.name})
    return redirect(back)


@login_required
@require_POST
def timer_stop(request: AuthedRequest) -> HttpResponse:
    entry = services.timer_stop(actor=request.user)
    if entry is None:
        messages.info(request, _("Żaden licznik czasu nie jest uruchomiony."))
    else:
        messages.success(
            request,
            _("Zatrzymano licznik: %(project)s, %(minutes)s min.")
            % {"project": entry.project.name, "minutes": entry.minutes},
        )
    return redirect(_next_url(request, reverse("timetracking:timesheet")))


@login_required
@require_GET
def project_time(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _project_for(request, pk)
    ctx = {**project_section_context(request, project), "page": True}
    return render(request, "timetracking/project_time.html", ctx)


@login_required
@require_POST
def project_invoice(request: AuthedRequest, pk: int) -> HttpResponse:
    """Bill the project's unbilled time on a new draft invoice, then open it."""
    project = _project_for(request, pk)
    if not services.invoice_may_bill(request.user):
        raise PermissionDenied(_("Czas pracy fakturują Szef i Kierownik."))
    form = InvoiceTimeForm(request.POST)
    back = _next_url(request, reverse("timetracking:project_time", args=[project.pk]))
    if not form.is_valid():
        messages.error(request, _("Wybierz: według zadań albo według osób."))
        return redirect(back)
    try:
        invoice = services.project_time_invoice(
            project=project, actor=request.user, group_by=form.cleaned_data["group_by"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Utworzono szkic faktury za czas pracy. Sprawdź go i wystaw."))
    return redirect("invoicing:invoice_detail", pk=invoice.pk)


@login_required
@require_GET
def time_export(request: AuthedRequest) -> HttpResponseBase:
    """One person's week (the timesheet's choice) as CSV, entry by entry."""
    people = timesheet_users(request.user)
    form = TimesheetForm(request.GET or None, people=people)
    if form.is_bound and not form.is_valid():
        raise Http404
    data = form.cleaned_data if form.is_bound else {}
    person = data.get("user") or request.user
    monday = week_monday(data.get("week") or timezone.localdate())
    sheet_entries = (
        TimeEntry.objects.filter(
            user=person, started_at__date__gte=monday, started_at__date__lt=monday + timedelta(days=7)
        )
        .select_related("project", "task", "user", "invoice")
        .order_by("started_at", "id")
    )
    activity_export_record(
        actor=request.user,
        what="time_entries",
        file_format="csv",
        rows=sheet_entries.count(),
        filters={"user": person.pk, "week": monday.isoformat()},
    )
    return csv_response(
        filename=f"czas-pracy-{monday.isoformat()}.csv",
        header=[label for _name, label in EXPORT_COLUMNS],
        rows=(_export_row(entry) for entry in sheet_entries),
    )


def _export_row(entry: TimeEntry) -> list[Any]:
    values = {
        "started_at": timezone.localtime(entry.started_at).strftime("%Y-%m-%d %H:%M"),
        "ended_at": timezone.localtime(entry.ended_at).strftime("%Y-%m-%d %H:%M") if entry.ended_at else "",
        "project": entry.project.name,
        "task": entry.task.title if entry.task else "",
        "user": str(entry.user),
        "billable": _("tak") if entry.billable else _("nie"),
        "invoiced": _("tak") if entry.invoiced else _("nie"),
    }
    return [values[name] if name in values else getattr(entry, name) for name, _label in EXPORT_COLUMNS]
