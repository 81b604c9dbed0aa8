"""Who may enter the operator console, and throttled operator sign-in.

An operator is a `User` row in the public schema with is_staff (company staff live
in company schemas, so a company's Szef has no account here at all). Entering
also needs a TOTP authenticator *and* a session that passed the 2FA step (a
password-only session, e.g. from the Django admin login, is sent to confirm a code).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from allauth.account import views as account_views
from allauth.account.authentication import get_authentication_records
from allauth.core import ratelimit
from allauth.mfa.base import views as mfa_views
from allauth.mfa.models import Authenticator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from tenants.models import Company

THROTTLE_ACTION = "operator_login_failed"


def _is_public(request: HttpRequest) -> bool:
    tenant = getattr(request, "tenant", None)
    return isinstance(tenant, Company) and tenant.is_public


def _passed_2fa(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)  # type: ignore[arg-type]
    return any(record.get("method") == "mfa" for record in records)


def operator_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _is_public(request):
            raise Http404
        user = request.user
        if not user.is_authenticated:
            return redirect(reverse("account_login") + "?" + urlencode({"next": request.get_full_path()}))
        if not (user.is_active and user.is_staff):
            return render(request, "billing_saas/operator/denied.html", {"reason": "not_operator"}, status=403)
        if not Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists():
            return render(request, "billing_saas/operator/denied.html", {"reason": "no_2fa"}, status=403)
        if not _passed_2fa(request):
            return redirect(reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return wrapper


def _throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Failed operator sign-in steps (password or code) are limited per client IP,
    with the same allauth rate as the admin login (ACCOUNT_RATE_LIMITS
    "operator_login_failed"); a failed POST is one that re-renders the form."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        if not ratelimit.consume(request, action=THROTTLE_ACTION, dry_run=True):
            return render(request, "billing_saas/operator/throttled.html", status=429)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 or response.status_code >= 400:
            ratelimit.consume(request, action=THROTTLE_ACTION)
        return response

    return wrapper


operator_login = _throttled(account_views.login)
operator_mfa_authenticate = _throttled(mfa_views.authenticate)
