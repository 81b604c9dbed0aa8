"""Settings > Zgłoszenia, the parts this app owns: departments (Szef), the inbound secret
(Szef, regenerate) and predefined replies (each person's own; Szef also the company's).
The priorities and statuses are colour lists on the same Settings page (crm.settings)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.access import is_szef, szef_required
from crm.accounts.models import User
from crm.common.errors import form_apply_validation_error
from crm.common.types import AuthedRequest
from crm.tickets import settings_services as services
from crm.tickets.forms import DepartmentForm, PredefinedReplyForm
from crm.tickets.models import Department, PredefinedReply, TicketSettings
from tenants.urls_helpers import company_active_url

SETTINGS_PAGE = "crmsettings:tickets"


def ticket_settings_context(user: User) -> dict[str, Any]:
    """What the Settings page shows below the colour lists (crm.settings calls this)."""
    return {
        "departments": list(Department.objects.prefetch_related("members")),
        "shared_replies": list(PredefinedReply.objects.filter(owner__isnull=True)),
        "inbound_secret": TicketSettings.current().inbound_secret if is_szef(user) else "",
        "inbound_url": company_active_url(reverse("tickets_inbound:email")),
    }


def _settings_render(request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**ctx, "settings_active": SETTINGS_PAGE}, status=status)


@szef_required
@require_http_methods(["GET", "POST"])
def department_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    department = get_object_or_404(Department, pk=pk) if pk is not None else None
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_save(
                actor=request.user,
                department=department,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                members=form.cleaned_data["members"],
            )
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Zapisano dział."))
            return redirect(reverse(SETTINGS_PAGE) + "#departments")
    status = 400 if form.is_bound and form.errors else 200
    return _settings_render(request, "tickets/department_form.html", {"form": form, "department": department}, status)


@szef_required
@require_http_methods(["GET", "POST"])
def department_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department, pk=pk)
    if request.method == "POST":
        services.department_delete(actor=request.user, department=department)
        messages.success(request, _("Usunięto dział."))
        return redirect(reverse(SETTINGS_PAGE) + "#departments")
    count = department.tickets.count()
    return _settings_render(request, "tickets/department_delete.html", {"department": department, "count": count})


@szef_required
@require_POST
def secret_regenerate(request: AuthedRequest) -> HttpResponse:
    services.inbound_secret_regenerate(actor=request.user)
    messages.success(request, _("Utworzono nowy klucz. Wpisz go w ustawieniach bramki poczty."))
    return redirect(reverse(SETTINGS_PAGE) + "#inbound")


@login_required
@require_GET
def predefined_list(request: AuthedRequest) -> HttpResponse:
    shared = PredefinedReply.objects.filter(owner__isnull=True)
    own = PredefinedReply.objects.filter(owner=request.user)
    return render(
        request, "tickets/predefined_list.html", {"shared": shared, "own": own, "is_szef": is_szef(request.user)}
    )


def _predefined_for(request: AuthedRequest, pk: int) -> PredefinedReply:
    reply = get_object_or_404(
        PredefinedReply.objects.filter(owner__isnull=True) | PredefinedReply.objects.filter(owner=request.user), pk=pk
    )
    if not services.predefined_may_change(request.user, reply):
        raise PermissionDenied
    return reply


@login_required
@require_http_methods(["GET", "POST"])
def predefined_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    reply = _predefined_for(request, pk) if pk is not None else None
    form = PredefinedReplyForm(request.POST or None, instance=reply, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.predefined_save(
                actor=request.user,
                reply=reply,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                shared=form.cleaned_data.get("shared", False),
            )
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Zapisano gotową odpowiedź."))
            return redirect("tickets:predefined_list")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "tickets/predefined_form.html", {"form": form, "reply": reply}, status=status)


@login_required
@require_POST
def predefined_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    reply = _predefined_for(request, pk)
    services.predefined_delete(actor=request.user, reply=reply)
    messages.success(request, _("Usunięto gotową odpowiedź."))
    return redirect("tickets:predefined_list")
