"""Settings > Faktury (numbering, payment term, place of issue, Pracownik may issue) and
Settings > KSeF (switch on, environment, API address, the encrypted token)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import szef_required
from crm.company.models import CompanySettings
from crm.invoicing.numbering import number_format
from crm.settings.forms import InvoicingSettingsForm, KsefSettingsForm
from crm.settings.services import company_settings_fresh, company_settings_save, ksef_token_set
from crm.settings.views.common import settings_render
from tenants.context import CompanyRequest


@szef_required
def invoicing(request: CompanyRequest) -> HttpResponse:
    obj = company_settings_fresh()
    form = InvoicingSettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        company_settings_save(
            actor=request.user, obj=obj, fields=list(InvoicingSettingsForm.Meta.fields), section=_("Faktury")
        )
        messages.success(request, _("Zapisano ustawienia faktur."))
        return redirect("crmsettings:invoicing")
    current = CompanySettings.current()
    today = timezone.localdate()
    examples = [
        (label, number_format(getattr(current, field), day=today, number=1))
        for label, field in (
            (_("Faktura VAT"), "invoice_number_pattern"),
            (_("Pro forma"), "proforma_number_pattern"),
            (_("Korekta"), "correction_number_pattern"),
        )
    ]
    return settings_render(
        request,
        "settings/invoicing.html",
        {"form": form, "examples": examples},
        active="crmsettings:invoicing",
        status=400 if request.method == "POST" else 200,
    )


@szef_required
def ksef(request: CompanyRequest) -> HttpResponse:
    obj = company_settings_fresh()
    form = KsefSettingsForm(
        request.POST or None, instance=obj, has_token=bool(obj.ksef_token_encrypted), tax_id=obj.tax_id
    )
    if request.method == "POST" and form.is_valid():
        fields = list(KsefSettingsForm.Meta.fields)
        if ksef_token_set(
            obj=obj, token=form.cleaned_data.get("ksef_token"), clear=form.cleaned_data["ksef_token_clear"]
        ):
            fields.append("ksef_token_encrypted")
        company_settings_save(actor=request.user, obj=obj, fields=fields, section=_("KSeF"))
        messages.success(request, _("Zapisano ustawienia KSeF."))
        return redirect("crmsettings:ksef")
    current = CompanySettings.current()
    return settings_render(
        request,
        "settings/ksef.html",
        {"form": form, "has_token": bool(current.ksef_token_encrypted), "tax_id": current.tax_id},
        active="crmsettings:ksef",
        status=400 if request.method == "POST" else 200,
    )
