"""Settings > Pola własne, /settings/custom-fields/ (namespace `customfields`, Szef only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from crm.accounts.access import szef_required
from crm.common.errors import form_apply_validation_error
from crm.common.types import AuthedRequest
from crm.customfields import services
from crm.customfields.definitions import model_choices
from crm.customfields.forms import CustomFieldForm
from crm.customfields.models import CustomField

LIST_URL = "customfields:list"


def _render(request: AuthedRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**ctx, "settings_active": LIST_URL}, status=status)


@szef_required
def custom_field_list(request: AuthedRequest) -> HttpResponse:
    rows = list(CustomField.objects.all())
    groups = [
        {"key": key, "label": label, "fields": [f for f in rows if f.model == key]} for key, label in model_choices()
    ]
    return _render(request, "customfields/list.html", {"groups": groups})


@szef_required
@require_http_methods(["GET", "POST"])
def custom_field_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    field = get_object_or_404(CustomField, pk=pk) if pk is not None else None
    initial: dict[str, Any] = {"model": request.GET.get("model", "")}
    if field is not None:
        initial = {
            "model": field.model,
            "name": field.name,
            "key": field.key,
            "type": field.type,
            "options": "\n".join(field.options),
            "required": field.required,
            "show_in_list": field.show_in_list,
        }
    form = CustomFieldForm(request.POST or None, initial=initial, editing=field is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if field is None:
                field = services.custom_field_create(actor=request.user, **data)
            else:
                changes = {k: data[k] for k in ("name", "options", "required", "show_in_list")}
                field = services.custom_field_update(actor=request.user, field=field, **changes)
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Zapisano pole „%(name)s”.") % {"name": field.name})
            return HttpResponseRedirect(reverse(LIST_URL) + f"#model-{field.model}")
    status = 400 if form.is_bound and form.errors else 200
    return _render(request, "customfields/form.html", {"form": form, "field": field}, status)


@szef_required
@require_http_methods(["GET", "POST"])
def custom_field_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    field = get_object_or_404(CustomField, pk=pk)
    if request.method == "POST":
        services.custom_field_delete(actor=request.user, field=field)
        messages.success(request, _("Usunięto pole „%(name)s” i jego wartości.") % {"name": field.name})
        return HttpResponseRedirect(reverse(LIST_URL))
    return _render(request, "customfields/delete.html", {"field": field})


@szef_required
@require_POST
def custom_field_move(request: AuthedRequest, pk: int) -> HttpResponse:
    field = get_object_or_404(CustomField, pk=pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.custom_field_move(field=field, position=max(1, field.position + step))
    return HttpResponseRedirect(reverse(LIST_URL) + f"#model-{field.model}")
