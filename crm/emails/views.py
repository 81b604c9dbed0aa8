"""Writing to a customer from its card (/emails/customer/<id>/new/), a stored e-mail's
page and its files. Any staff member who may open the customer may write to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.common.errors import form_apply_validation_error
from crm.common.params import id_or_none
from crm.common.types import AuthedRequest
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.emails import services
from crm.emails.forms import ComposeForm
from crm.emails.models import CustomerEmail, CustomerEmailAttachment
from crm.emails.selectors import custom_templates, emails_visible_to


def _customer_for(request: AuthedRequest, pk: int) -> Customer:
    return get_object_or_404(customers_visible_to(request.user), pk=pk)


def _email_for(request: AuthedRequest, pk: int) -> CustomerEmail:
    return get_object_or_404(emails_visible_to(request.user).select_related("customer", "contact", "sender"), pk=pk)


def _initial(request: AuthedRequest, customer: Customer, form_kwargs: dict[str, Any]) -> dict[str, Any]:
    """The form's start: the contact's (or the customer's) address; a chosen template filled in."""
    contact = form_kwargs["contacts"].filter(pk=id_or_none(request.GET.get("contact"))).first()
    initial: dict[str, Any] = {"to": (contact.email if contact and contact.email else customer.email) or ""}
    if contact is not None:
        initial["contact"] = contact.pk
    template = form_kwargs["templates"].filter(pk=id_or_none(request.GET.get("template"))).first()
    if template is not None:
        initial["template"] = template.pk
        initial["subject"], initial["body"] = services.template_fill(
            template=template,
            customer=customer,
            contact=contact,
            user=request.user,
            language=request.GET.get("language") or "pl",
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def email_compose(request: AuthedRequest, customer_id: int) -> HttpResponse:
    customer = _customer_for(request, customer_id)
    form_kwargs: dict[str, Any] = {
        "templates": custom_templates(),
        "contacts": customer.contacts.order_by("name", "id"),
    }
    status = 200
    if request.method == "POST":
        form = ComposeForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.email_send(
                    actor=request.user,
                    customer=_customer_for(request, customer_id),
                    contact=data["contact"],
                    template=data["template"],
                    to=data["to"],
                    cc=data["cc"],
                    subject=data["subject"],
                    body=data["body"],
                    files=data["attachments"],
                )
            except ValidationError as exc:
                form_apply_validation_error(form, exc)
            else:
                messages.success(request, _("Wiadomość czeka na wysłanie — jej stan zobaczysz na osi czasu."))
                return redirect(reverse("contacts:customer_detail", args=[customer.pk]) + "?tab=timeline")
        status = 400
    else:
        form = ComposeForm(initial=_initial(request, customer, form_kwargs), **form_kwargs)
    return render(
        request,
        "emails/compose.html",
        {
            "customer": customer,
            "form": form,
            "templates": form_kwargs["templates"],
            "contacts": form_kwargs["contacts"],
        },
        status=status,
    )


@login_required
@require_GET
def email_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    email = _email_for(request, pk)
    return render(request, "emails/email_detail.html", {"email": email, "attachments": email.attachments.all()})


@login_required
@require_GET
def attachment_download(request: AuthedRequest, pk: int, attachment_id: int) -> FileResponse:
    email = _email_for(request, pk)
    item = get_object_or_404(CustomerEmailAttachment, pk=attachment_id, email=email)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
