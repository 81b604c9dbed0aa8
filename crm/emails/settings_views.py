"""Settings > Szablony e-maili (/settings/email-templates/, Szef only): templates staff
pick when writing to a customer, the company's own texts of the product's e-mails, and
the company's BCC address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.accounts.access import szef_required
from crm.common.errors import form_apply_validation_error
from crm.common.types import AuthedRequest
from crm.company.mail_defaults import mail_template_defaults
from crm.company.mail_templates import mail_template_fields
from crm.company.models import EmailTemplate, EmailTemplateKind
from crm.emails import services
from crm.emails.forms import TemplateForm
from crm.emails.selectors import bcc_address

PAGE = "emails_settings:templates"


def _render(request: AuthedRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**ctx, "settings_active": PAGE}, status=status)


@szef_required
@require_http_methods(["GET"])
def template_list(request: AuthedRequest) -> HttpResponse:
    edited = {t.kind for t in EmailTemplate.objects.exclude(kind=EmailTemplateKind.CUSTOM)}
    product_kinds = [(value, label, value in edited) for value, label in EmailTemplateKind.choices if value != "custom"]
    return _render(
        request,
        "emails/settings_templates.html",
        {"templates": EmailTemplate.objects.all(), "product_kinds": product_kinds, "bcc_address": bcc_address()},
    )


@szef_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthedRequest, template_id: int | None = None) -> HttpResponse:
    template = get_object_or_404(EmailTemplate, pk=template_id) if template_id is not None else None
    kind = template.kind if template else request.GET.get("kind", EmailTemplateKind.CUSTOM)
    if kind not in EmailTemplateKind.values:
        kind = EmailTemplateKind.CUSTOM
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.email_template_save(actor=request.user, template=template, **form.cleaned_data)
            except ValidationError as exc:
                form_apply_validation_error(form, exc)
            else:
                messages.success(request, _("Zapisano szablon."))
                return redirect(PAGE)
        status = 400
        kind = request.POST.get("kind", kind)
    elif template is not None:
        form = TemplateForm(
            initial={
                f: getattr(template, f) for f in ("kind", "name", "subject_pl", "body_pl", "subject_en", "body_en")
            }
        )
    else:  # a product e-mail starts from the text it is sent with today
        form = TemplateForm(
            initial={
                "kind": kind,
                "name": dict(EmailTemplateKind.choices).get(kind, ""),
                **mail_template_defaults(kind),
            }
        )
    fields = mail_template_fields(kind if kind in EmailTemplateKind.values else EmailTemplateKind.CUSTOM)
    return _render(
        request,
        "emails/settings_template_form.html",
        {"template": template, "form": form, "fields": fields.items()},
        status=status,
    )


@szef_required
@require_http_methods(["GET", "POST"])
def template_delete(request: AuthedRequest, template_id: int) -> HttpResponse:
    template = get_object_or_404(EmailTemplate, pk=template_id)
    if request.method == "POST":
        services.email_template_delete(actor=request.user, template=template)
        if template.kind == EmailTemplateKind.CUSTOM:
            messages.success(request, _("Usunięto szablon."))
        else:
            messages.success(request, _("Przywrócono domyślny tekst e-maila."))
        return redirect(PAGE)
    return _render(request, "emails/settings_template_delete.html", {"template": template})
