"""Settings > Automatyzacje, /settings/automations/ (namespace `automations`, Szef only)."""

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
from crm.automations import services
from crm.automations.forms import AutomationRuleForm
from crm.automations.models import AutomationRule, AutomationRun
from crm.common.errors import form_apply_validation_error
from crm.common.types import AuthedRequest

LIST_URL = "automations:list"


def _render(request: AuthedRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**ctx, "settings_active": LIST_URL}, status=status)


@szef_required
def rule_list(request: AuthedRequest) -> HttpResponse:
    rules = list(AutomationRule.objects.select_related("stage", "source", "person"))
    runs = list(AutomationRun.objects.select_related("rule")[:50])
    return _render(request, "automations/list.html", {"rules": rules, "runs": runs})


@szef_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(AutomationRule, pk=pk) if pk is not None else None
    initial: dict[str, Any] = {"enabled": True, "task_due_days": 1}
    if rule is not None:
        initial = {name: getattr(rule, name) for name in services.FIELDS}
    form = AutomationRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if rule is None:
                rule = services.rule_create(actor=request.user, **data)
            else:
                rule = services.rule_update(rule=rule, actor=request.user, **data)
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Zapisano regułę „%(name)s”.") % {"name": rule.name})
            return HttpResponseRedirect(reverse(LIST_URL))
    status = 400 if form.is_bound and form.errors else 200
    return _render(request, "automations/form.html", {"form": form, "rule": rule}, status)


@szef_required
@require_POST
def rule_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(AutomationRule, pk=pk)
    services.rule_update(rule=rule, actor=request.user, enabled=not rule.enabled)
    return HttpResponseRedirect(reverse(LIST_URL))


@szef_required
@require_http_methods(["GET", "POST"])
def rule_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(AutomationRule, pk=pk)
    if request.method == "POST":
        services.rule_delete(rule=rule, actor=request.user)
        messages.success(request, _("Usunięto regułę „%(name)s”.") % {"name": rule.name})
        return HttpResponseRedirect(reverse(LIST_URL))
    return _render(request, "automations/delete.html", {"rule": rule})
