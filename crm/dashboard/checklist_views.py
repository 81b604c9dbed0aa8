"""Putting the getting-started checklist away (Szef only, for the whole company)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.accounts.access import szef_required
from crm.common.types import AuthedRequest
from crm.dashboard.checklist import checklist_dismiss


@require_POST
@szef_required
def checklist_hide(request: AuthedRequest) -> HttpResponse:
    checklist_dismiss(user=request.user)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    messages.success(request, _("Lista pierwszych kroków została ukryta."))
    return redirect("dashboard:home")
