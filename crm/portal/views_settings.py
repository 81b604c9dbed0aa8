"""Settings > Portal klienta: the portal's colour (Szef). The logo is the company's own
(Settings > Firma)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.accounts.access import szef_required
from crm.common.types import AuthedRequest
from crm.company.models import CompanySettings
from crm.portal.branding import WHITE, branding_save, contrast
from crm.portal.forms import BrandingForm
from crm.portal.models import PortalBranding


@szef_required
@require_http_methods(["GET", "POST"])
def branding(request: AuthedRequest) -> HttpResponse:
    current = PortalBranding.current()
    form = BrandingForm(request.POST or None, initial={"primary_color": current.primary_color})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = branding_save(primary_color=form.cleaned_data["primary_color"], actor=request.user)
            except ValidationError as exc:
                for error in exc.messages:
                    form.add_error("primary_color", error)
            else:
                if saved.primary_color and contrast(saved.primary_color, WHITE) < 4.5:
                    messages.info(
                        request,
                        _("Kolor jest jasny: tekst na nim będzie czarny, a odnośniki zostaną w kolorze domyślnym."),
                    )
                messages.success(request, _("Zapisano wygląd portalu klienta."))
                return redirect("portal_settings:branding")
    context = {"form": form, "branding": current, "has_logo": bool(CompanySettings.current().logo)}
    return render(request, "portal/settings_branding.html", context, status=status)
