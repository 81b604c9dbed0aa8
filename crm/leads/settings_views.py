"""Settings > Leady, the part this app owns: web-to-lead forms (Szef only). The lead
statuses are a colour list on the same Settings page (crm.settings)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.accounts.access import szef_required
from crm.common.errors import form_apply_validation_error
from crm.common.types import AuthedRequest
from crm.leads.forms import WebFormForm
from crm.leads.models import WebForm
from crm.leads.webforms import webform_delete, webform_save
from tenants.urls_helpers import company_active_url

SETTINGS_PAGE = "crmsettings:leads"


def lead_settings_context() -> dict[str, Any]:
    """What the Settings page shows below the status list (crm.settings calls this)."""
    forms = list(WebForm.objects.all())
    for form in forms:
        form.public_url = company_active_url(reverse("leads_public:form", args=[form.slug]))  # type: ignore[attr-defined]
    return {"web_forms": forms}


def _render(request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**ctx, "settings_active": SETTINGS_PAGE}, status=status)


def _snippets(form: WebForm) -> dict[str, str]:
    url = company_active_url(reverse("leads_public:form", args=[form.slug]))
    iframe = f'<iframe src="{url}" title="{form.name}" style="width:100%;min-height:520px;border:0"></iframe>'
    inputs = "\n".join(
        f'  <input name="{key}" placeholder="{key}">' for key in ("name", *form.fields) if key != "description"
    )
    if "description" in form.fields:
        inputs += '\n  <textarea name="description"></textarea>'
    html = (
        f'<form method="post" action="{url}">\n{inputs}\n'
        '  <input name="website" style="display:none" tabindex="-1" autocomplete="off">\n'
        '  <button type="submit">Wyślij</button>\n</form>'
    )
    return {"url": url, "iframe": iframe, "html": html}


@szef_required
@require_http_methods(["GET", "POST"])
def webform_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    web_form = get_object_or_404(WebForm, pk=pk) if pk is not None else None
    initial: dict[str, Any] = {"owner_mode": "fixed", "active": True, "owner": request.user}
    if web_form is not None:
        initial = {
            "name": web_form.name,
            "slug": web_form.slug,
            "asked_fields": web_form.fields,
            "required_fields": web_form.required_fields,
            "thanks_text": web_form.thanks_text,
            "owner_mode": web_form.owner_mode,
            "owner": web_form.owner,
            "rotation": list(web_form.rotation.all()),
            "source": web_form.source,
            "allowed_origins": web_form.allowed_origins,
            "active": web_form.active,
        }
    form = WebFormForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rotation = list(data.pop("rotation") or [])
        data["fields"] = data.pop("asked_fields")
        try:
            saved = webform_save(actor=request.user, form=web_form, rotation=rotation, **data)
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Zapisano formularz."))
            return redirect("leads:webform_edit", pk=saved.pk)
    status = 400 if form.is_bound and form.errors else 200
    ctx = {"form": form, "web_form": web_form, "snippets": _snippets(web_form) if web_form is not None else None}
    return _render(request, "leads/webform_form.html", ctx, status)


@szef_required
@require_http_methods(["GET", "POST"])
def webform_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    web_form = get_object_or_404(WebForm, pk=pk)
    if request.method == "POST":
        webform_delete(actor=request.user, form=web_form)
        messages.success(request, _("Usunięto formularz."))
        return redirect(reverse(SETTINGS_PAGE) + "#web-forms")
    return _render(request, "leads/webform_delete.html", {"web_form": web_form})
