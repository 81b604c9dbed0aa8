"""Settings > Home page: which widgets each rank sees, and in which order (Szef only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.accounts.access import szef_required
from crm.accounts.models import Role
from crm.common.types import AuthedRequest
from crm.dashboard.forms import LayoutForm
from crm.dashboard.models import HomepageLayout
from crm.dashboard.services import layout_for_role, layout_reset, layout_save


@szef_required
@require_http_methods(["GET", "POST"])
def homepage_settings(request: AuthedRequest) -> HttpResponse:
    role = request.POST.get("role") or request.GET.get("role") or Role.SZEF
    if role not in Role.values:
        role = Role.SZEF
    current = layout_for_role(role)
    form = LayoutForm(request.POST or None, current=current)
    status = 200
    if request.method == "POST":
        url = f"{reverse('dashboard_settings:homepage')}?role={role}"
        if "reset" in request.POST:
            layout_reset(role=role)
            messages.success(request, _("Przywrócono domyślny układ strony głównej."))
            return redirect(url)
        if form.is_valid():
            layout_save(role=role, widgets=form.widgets_chosen(), user=request.user)
            messages.success(request, _("Zapisano układ strony głównej."))
            return redirect(url)
        status = 400
    return render(
        request,
        "dashboard/homepage_settings.html",
        {
            "form": form,
            "role": role,
            "roles": Role.choices,
            "customised": HomepageLayout.objects.filter(role=role).exists(),
        },
        status=status,
    )
