"""Settings > Rejestr czynności przetwarzania (Szef): the register, a row's edit form,
and the printable document. Rules and defaults: crm/privacy/register.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.access import szef_required
from crm.common.errors import AppError, form_apply_error
from crm.common.types import AuthedRequest
from crm.privacy.forms import RegisterEntryForm
from crm.privacy.register import RegisterRow, register_entry_reset, register_entry_save, register_rows
from tenants.db import connection

ACTIVE = "privacy_settings:register"


def _row(key: str) -> RegisterRow:
    for row in register_rows():
        if row.key == key:
            return row
    raise Http404


@szef_required
@require_GET
def register(request: AuthedRequest) -> HttpResponse:
    return render(request, "privacy/register.html", {"rows": register_rows(), "settings_active": ACTIVE})


@szef_required
@require_GET
def register_print(request: AuthedRequest) -> HttpResponse:
    tenant = getattr(connection, "tenant", None)
    ctx = {"rows": register_rows(), "company": getattr(tenant, "name", ""), "today": timezone.localdate()}
    return render(request, "privacy/register_print.html", ctx)


@szef_required
@require_http_methods(["GET", "POST"])
def register_edit(request: AuthedRequest, key: str) -> HttpResponse:
    row = _row(key)
    initial = {"purpose": row.purpose, "legal_basis": row.legal_basis, "retention": row.retention}
    form = RegisterEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            register_entry_save(actor=request.user, key=key, **form.cleaned_data)
        except AppError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Zapisano pozycję rejestru."))
            return redirect(ACTIVE)
    ctx = {"row": row, "form": form, "settings_active": ACTIVE}
    return render(request, "privacy/register_edit.html", ctx, status=400 if request.method == "POST" else 200)


@szef_required
@require_POST
def register_reset(request: AuthedRequest, key: str) -> HttpResponse:
    _row(key)
    register_entry_reset(actor=request.user, key=key)
    messages.success(request, _("Przywrócono domyślny opis pozycji."))
    return redirect(ACTIVE)
