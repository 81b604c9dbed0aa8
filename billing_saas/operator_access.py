"""Who may enter the operator console.

An operator is a `User` row in the public schema with is_staff (company staff live
in company schemas, so a company's Szef has no account here at all). Entering
also needs a TOTP authenticator *and* a session that passed the 2FA step (a
password-only session, e.g. from the Django admin login, is sent to confirm a code).
Operator sign-in is allauth's, so wrong passwords and codes count in the one login
throttle of the product (tenants/login_throttle.py, through crm.accounts.adapter).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from tenants.models import Company


def _is_public(request: HttpRequest) -> bool:
    tenant = getattr(request, "tenant", None)
    return isinstance(tenant, Company) and tenant.is_public


def _passed_2fa(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
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
