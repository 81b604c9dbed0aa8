"""Read-only and suspended companies, enforced by HTTP method for every view.

- read-only (trial ended unpaid, Stripe gave up, cancelled): reading works,
  anything that changes data (POST/PUT/PATCH/DELETE) is refused;
- suspended (30 days after that, or by the operator): only signing in and out,
  Settings > Billing and data export work.

Pages get an explanation (Szef: with a link to billing); the API gets 402 JSON;
htmx requests are sent to the explanation page. Works on company hosts only and
needs no cooperation from the views it guards.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from billing_saas.lifecycle import Access, access_for
from crm.accounts.access import is_szef
from tenants.context import request_company

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Always reachable, whatever the state of the company.
ALWAYS = (
    "/static/",
    "/healthz",
    "/favicon.ico",
    "/i18n/",
    "/settings/billing/",
    "/billing/locked/",
    "/accounts/login/",
    "/auth/handoff/",
    "/accounts/logout/",
    "/accounts/2fa/authenticate/",
    "/accounts/password/reset/",
    "/api/v1/auth/token/",
)
# Also reachable while read-only: a person's own account (password, 2FA), but not
# accepting an invitation (that adds a user).
READ_ONLY_TOO = ("/accounts/",)
NEVER_WHILE_LOCKED = ("/accounts/invite/",)
# Exports: an `export`/`eksport` path segment (/customers/export/, /settings/activity/export.csv)
# or a CSV download (/reports/<name>/csv/). They only read, so they work in every state.
EXPORT = re.compile(r"/(export|eksport)[^/]*(/|$)|/csv/?$")


def _allowed(path: str, prefixes: tuple[str, ...]) -> bool:
    if path.startswith(NEVER_WHILE_LOCKED):
        return False
    return path.startswith(prefixes) or EXPORT.search(path) is not None


def refusal_message(access: Access) -> str:
    if access == Access.SUSPENDED:
        return _(
            "Konto firmy jest zawieszone. Dane są bezpieczne, ale do czasu opłacenia subskrypcji działa tylko "
            "logowanie, eksport danych i Ustawienia > Płatności."
        )
    return _(
        "Konto firmy jest w trybie tylko do odczytu: możesz przeglądać i eksportować dane, ale nie możesz ich "
        "dodawać ani zmieniać, dopóki subskrypcja nie zostanie opłacona."
    )


class BillingAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        company = request_company(request)
        if company is None:
            return self.get_response(request)
        access = access_for(company)
        path = request.path_info
        if access == Access.FULL:
            return self.get_response(request)
        if access == Access.READ_ONLY and (request.method in SAFE_METHODS or _allowed(path, ALWAYS + READ_ONLY_TOO)):
            return self.get_response(request)
        if access == Access.SUSPENDED and _allowed(path, ALWAYS):
            return self.get_response(request)
        return self.refuse(request, access)

    def refuse(self, request: HttpRequest, access: Access) -> HttpResponse:
        message = refusal_message(access)
        billing_url = reverse("billing_saas:billing")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "code": f"company_{access.value}", "billing_url": billing_url}, status=402
            )
        if request.headers.get("HX-Request") == "true":  # (django-htmx runs after us)
            response = HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
            response["HX-Redirect"] = reverse("billing-locked")
            return response
        return render(request, "billing_saas/locked.html", locked_context(request, access), status=403)


def locked_context(request: HttpRequest, access: Access) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "access": access.value,
        "message": refusal_message(access) if access != Access.FULL else "",
        "is_szef": is_szef(user),
        "signed_in": bool(user and user.is_authenticated),
    }
