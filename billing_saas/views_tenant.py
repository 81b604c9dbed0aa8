"""Settings > Billing on a company host (Szef only) and the "why is it locked" page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing_saas import checkout, stripe_api
from billing_saas.lifecycle import access_for, account_for, plan_for, status_effective, trial_days_left
from billing_saas.middleware import locked_context
from billing_saas.models import Interval, Plan
from billing_saas.selectors import company_usage
from crm.accounts.access import szef_required
from crm.common.csp import allow_stripe_redirects
from crm.common.policy import allowed_when_locked
from tenants.context import CompanyRequest
from tenants.models import CompanyStatus
from tenants.owner_email import OwnerEmailError, owner_email_resend
from tenants.urls_helpers import company_url


class CheckoutForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.filter(is_active=True),
        to_field_name="code",
        label=gettext_lazy("Plan"),
        error_messages={"invalid_choice": gettext_lazy("Wybierz dostępny plan.")},
    )
    interval = forms.ChoiceField(choices=Interval.choices, label=gettext_lazy("Okres rozliczeniowy"))


def _url(request: CompanyRequest, name: str, query: str = "") -> str:
    return company_url(request.tenant.subdomain or "", reverse(name) + query)


@allowed_when_locked
@szef_required
def billing(request: CompanyRequest) -> HttpResponse:
    company = request.tenant
    if request.GET.get("checkout") == "success":
        if checkout.checkout_return(company=company, session_id=request.GET.get("session_id", "")):
            messages.success(request, _("Dziękujemy! Subskrypcja jest aktywna."))
        else:
            messages.info(request, _("Płatność jest przetwarzana. Status odświeży się za chwilę."))
        return redirect("billing_saas:billing")
    if request.GET.get("checkout") == "cancel":
        messages.info(request, _("Płatność została przerwana. Możesz wybrać plan ponownie."))
        return redirect("billing_saas:billing")
    company.refresh_from_db()
    account = account_for(company)
    invoices: list[checkout.InvoiceRow] = []
    invoices_error = ""
    try:
        invoices = checkout.invoices_for(company)
    except checkout.BillingError as exc:
        invoices_error = exc.message
    now = timezone.now()
    has_subscription = bool(account.stripe_subscription_id) and account.stripe_subscription_status in (
        checkout.BLOCKING_NEW_CHECKOUT
    )
    context = {
        "configured": stripe_api.is_configured(),
        "status": status_effective(company, now),
        "status_label": CompanyStatus(status_effective(company, now)).label,
        "days_left": trial_days_left(company, now),
        "access": access_for(company, now).value,
        "account": account,
        "plan": plan_for(company),
        "plans": Plan.objects.filter(is_active=True),
        "usage": company_usage([company.schema_name]).get(company.schema_name),
        "has_subscription": has_subscription,
        "can_open_portal": bool(account.stripe_customer_id),
        "invoices": invoices,
        "invoices_error": invoices_error,
        "form": CheckoutForm(),
        "owner_email_confirmed": company.owner_email_confirmed_at is not None,
    }
    return allow_stripe_redirects(render(request, "billing_saas/billing.html", context))


@allowed_when_locked
@require_POST
@szef_required
def checkout_start(request: CompanyRequest) -> HttpResponse:
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("billing_saas:billing")
    try:
        url = checkout.checkout_start(
            company=request.tenant,
            plan=form.cleaned_data["plan"],
            interval=form.cleaned_data["interval"],
            email=request.user.email,
            language=get_language() or "pl",
            success_url=_url(request, "billing_saas:billing", "?checkout=success&session_id={CHECKOUT_SESSION_ID}"),
            cancel_url=_url(request, "billing_saas:billing", "?checkout=cancel"),
        )
    except checkout.BillingError as exc:
        messages.error(request, exc.message)
        return redirect("billing_saas:billing")
    return HttpResponseRedirect(url, status=303)


@allowed_when_locked
@require_POST
@szef_required
def portal_start(request: CompanyRequest) -> HttpResponse:
    try:
        url = checkout.portal_start(
            company=request.tenant,
            return_url=_url(request, "billing_saas:billing"),
            language=get_language() or "pl",
        )
    except checkout.BillingError as exc:
        messages.error(request, exc.message)
        return redirect("billing_saas:billing")
    return HttpResponseRedirect(url, status=303)


@allowed_when_locked
@require_POST
@szef_required
def owner_email_resend_view(request: CompanyRequest) -> HttpResponse:
    """ "Send again" in the banner asking to confirm the owner's address (rate limited)."""
    try:
        email = owner_email_resend(company=request.tenant)
    except OwnerEmailError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Wysłaliśmy link potwierdzający na adres %(email)s.") % {"email": email})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=set()) or not target.startswith("/"):
        target = reverse("billing_saas:billing")
    return HttpResponseRedirect(target)


@allowed_when_locked
@login_required
@require_GET
def locked(request: CompanyRequest) -> HttpResponse:
    """Why the company cannot change data now (target of refused htmx requests)."""
    access = access_for(request.tenant)
    return render(request, "billing_saas/locked.html", locked_context(request, access))
