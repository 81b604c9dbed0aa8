"""Staff pages: Settings > Płatności online (Szef) and the "Kopiuj link do płatności"
action on the invoice card (Szef, Kierownik). Another company's invoice is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.accounts.access import szef_required
from crm.common.types import AuthedRequest
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.visibility import may_manage_money
from crm.payments.forms import GatewayForm
from crm.payments.models import StripeGateway
from crm.payments.services import (
    CheckoutError,
    gateway_configured,
    gateway_save,
    gateway_test_connection,
    invoice_checkout_create,
)

SETTINGS_URL = "online_payments_settings:settings"


@szef_required
def gateway_settings(request: AuthedRequest) -> HttpResponse:
    gateway = StripeGateway.current()
    has_secret, has_webhook = bool(gateway.secret_key_encrypted), bool(gateway.webhook_secret_encrypted)
    initial = {"enabled": gateway.enabled, "publishable_key": gateway.publishable_key}
    form = GatewayForm(request.POST or None, initial=initial, has_secret_key=has_secret, has_webhook_secret=has_webhook)
    if request.method == "POST" and form.is_valid():
        gateway_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Zapisano ustawienia płatności online."))
        return redirect(SETTINGS_URL)
    context = {
        "form": form,
        "gateway": gateway,
        "has_secret_key": has_secret,
        "has_webhook_secret": has_webhook,
        "configured": gateway_configured(gateway),
        "webhook_url": request.build_absolute_uri(reverse("online_payments:webhook")),
        "settings_active": SETTINGS_URL,
    }
    return render(request, "payments/settings.html", context, status=400 if request.method == "POST" else 200)


@szef_required
@require_POST
def gateway_test(request: AuthedRequest) -> HttpResponse:
    try:
        account = gateway_test_connection()
    except CheckoutError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Połączenie ze Stripe działa. Konto: %(account)s.") % {"account": account})
    return redirect(SETTINGS_URL)


@login_required
@require_POST
def invoice_payment_link(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(invoices_visible_to(request.user).select_related("customer"), pk=pk)
    if not may_manage_money(request.user):
        raise PermissionDenied(_("Link do płatności tworzą Szef i Kierownik."))
    back = reverse("online_payments:return")
    try:
        url = invoice_checkout_create(
            invoice,
            success_url=request.build_absolute_uri(f"{back}?result=paid"),
            cancel_url=request.build_absolute_uri(f"{back}?result=cancelled"),
            actor=request.user,
        )
    except CheckoutError as exc:
        return render(request, "payments/payment_link.html", {"invoice": invoice, "error": exc.message}, status=400)
    return render(request, "payments/payment_link.html", {"invoice": invoice, "url": url})
