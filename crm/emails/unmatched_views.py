"""Settings > Niedopasowane e-maile (/settings/unmatched-emails/, Szef only): BCC copies
that matched no customer, to attach to a chosen customer or dismiss."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.accounts.access import szef_required
from crm.common.types import AuthedRequest
from crm.emails.forms import UnmatchedAttachForm
from crm.emails.models import UnmatchedEmail
from crm.emails.unmatched import UNMATCHED_KEEP_DAYS, unmatched_email_attach, unmatched_email_dismiss

PAGE = "emails_unmatched:list"


@szef_required
@require_http_methods(["GET"])
def unmatched_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(UnmatchedEmail.objects.all(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "emails/settings_unmatched.html",
        {"page": page, "keep_days": UNMATCHED_KEEP_DAYS, "settings_active": PAGE},
    )


@szef_required
@require_http_methods(["GET", "POST"])
def unmatched_detail(request: AuthedRequest, unmatched_id: int) -> HttpResponse:
    """The copy itself and the form that attaches it to a customer."""
    unmatched = get_object_or_404(UnmatchedEmail, pk=unmatched_id)
    status = 200
    if request.method == "POST":
        form = UnmatchedAttachForm(request.POST)
        if form.is_valid():
            customer = form.cleaned_data["customer"]
            email = unmatched_email_attach(actor=request.user, unmatched=unmatched, customer=customer)
            messages.success(
                request, _("Dołączono e-mail do klienta %(customer)s.") % {"customer": email.customer.name}
            )
            return redirect(PAGE)
        status = 400
    else:
        form = UnmatchedAttachForm()
    return render(
        request,
        "emails/settings_unmatched_detail.html",
        {"unmatched": unmatched, "form": form, "settings_active": PAGE},
        status=status,
    )


@szef_required
@require_http_methods(["POST"])
def unmatched_dismiss(request: AuthedRequest, unmatched_id: int) -> HttpResponse:
    unmatched = get_object_or_404(UnmatchedEmail, pk=unmatched_id)
    unmatched_email_dismiss(actor=request.user, unmatched=unmatched)
    messages.success(request, _("Odrzucono e-mail „%(subject)s”.") % {"subject": unmatched.subject})
    return redirect(PAGE)
