"""Settings > Firma, E-mail, Bezpieczeństwo (seed 000), and the logo shown in the header."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm.accounts.access import szef_required
from crm.activity.services import client_ip
from crm.common.errors import form_apply_error
from crm.company.mail import smtp_test_send
from crm.company.models import CompanySettings
from crm.settings.forms import CompanyInfoForm, EmailSettingsForm, SecurityForm, SmtpTestForm
from crm.settings.services import (
    SettingsError,
    company_info_save,
    company_settings_fresh,
    company_settings_save,
    smtp_password_set,
    smtp_test_record,
)
from crm.settings.views.common import settings_render
from tenants.context import CompanyRequest


@szef_required
def index(request: CompanyRequest) -> HttpResponse:
    from allauth.mfa.utils import is_mfa_enabled

    from crm.accounts.models import User

    obj = CompanySettings.current()
    context = {
        "active_users": User.objects.filter(is_active=True).count(),
        "obj": obj,
        "my_mfa": is_mfa_enabled(request.user),
    }
    return settings_render(request, "settings/index.html", context, active="crmsettings:index")


@szef_required
def company(request: CompanyRequest) -> HttpResponse:
    obj = company_settings_fresh()
    tenant = request.tenant
    form = CompanyInfoForm(request.POST or None, request.FILES or None, instance=obj, initial={"name": tenant.name})
    if request.method == "POST" and form.is_valid():
        try:
            company_info_save(
                actor=request.user,
                obj=obj,
                fields=CompanyInfoForm.Meta.fields,
                name=form.cleaned_data["name"],
                upload=form.cleaned_data.get("logo_upload"),
                remove=bool(form.cleaned_data.get("logo_remove")),
            )
        except SettingsError as exc:
            form_apply_error(form, exc, fields={"logo": "logo_upload"})
        else:
            messages.success(request, _("Zapisano dane firmy."))
            return redirect("crmsettings:company")
    return settings_render(
        request,
        "settings/company.html",
        {"form": form, "obj": CompanySettings.current()},
        active="crmsettings:company",
        status=400 if request.method == "POST" else 200,
    )


@szef_required
def email(request: CompanyRequest) -> HttpResponse:
    obj = company_settings_fresh()
    form = EmailSettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        fields = list(EmailSettingsForm.Meta.fields)
        if smtp_password_set(
            obj=obj, password=form.cleaned_data.get("smtp_password"), clear=form.cleaned_data["smtp_password_clear"]
        ):
            fields.append("smtp_password_encrypted")
        company_settings_save(actor=request.user, obj=obj, fields=fields, section=_("E-mail"))
        messages.success(request, _("Zapisano ustawienia poczty."))
        return redirect("crmsettings:email")
    return _email_page(
        request,
        form,
        SmtpTestForm(initial={"to": getattr(request.user, "email", "")}),
        status=400 if request.method == "POST" else 200,
    )


def _email_page(
    request: CompanyRequest, form: EmailSettingsForm, test_form: SmtpTestForm, result: object = None, status: int = 200
) -> HttpResponse:
    obj = CompanySettings.current()
    return settings_render(
        request,
        "settings/email.html",
        {
            "form": form,
            "test_form": test_form,
            "obj": obj,
            "has_password": bool(obj.smtp_password_encrypted),
            "result": result,
        },
        active="crmsettings:email",
        status=status,
    )


@szef_required
def email_test(request: CompanyRequest) -> HttpResponse:
    """Sends a test message through the saved SMTP settings and shows the server's answer."""
    obj = CompanySettings.current()
    test_form = SmtpTestForm(request.POST or None, initial={"to": getattr(request.user, "email", "")})
    result = None
    status = 200
    if request.method == "POST":
        if test_form.is_valid():
            result = smtp_test_send(
                obj=obj,
                to=test_form.cleaned_data["to"],
                company_name=request.tenant.name,
            )
            smtp_test_record(actor=request.user, to=test_form.cleaned_data["to"], result=result.message)
            status = 200 if result.ok else 400
        else:
            status = 400
    return _email_page(request, EmailSettingsForm(instance=company_settings_fresh()), test_form, result, status)


@szef_required
def security(request: CompanyRequest) -> HttpResponse:
    from allauth.mfa.utils import is_mfa_enabled

    obj = company_settings_fresh()
    ip = client_ip(request)
    form = SecurityForm(request.POST or None, instance=obj, current_ip=ip)
    if request.method == "POST" and form.is_valid():
        company_settings_save(
            actor=request.user,
            obj=obj,
            fields=list(SecurityForm.Meta.fields),
            section=_("Bezpieczeństwo"),
        )
        messages.success(request, _("Zapisano ustawienia bezpieczeństwa."))
        return redirect("crmsettings:security")
    return settings_render(
        request,
        "settings/security.html",
        {"form": form, "current_ip": ip, "my_mfa": is_mfa_enabled(request.user)},
        active="crmsettings:security",
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def logo(request: CompanyRequest) -> HttpResponseBase:
    """The company logo, for any signed-in staff member of this company (never a public media URL)."""
    obj = CompanySettings.current()
    if not obj.logo:
        raise Http404
    try:
        handle = obj.logo.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
