"""Read-only and suspended companies, enforced by HTTP method for every view.

- read-only (trial ended unpaid, Stripe gave up, cancelled): reading works,
  anything that changes data (POST/PUT/PATCH/DELETE) is refused;
- suspended (30 days after that, or by the operator): only signing in and out,
  Settings > Billing and data export work.

Which views stay reachable is marked on the views (`allowed_when_locked`,
`allowed_when_read_only` in crm.common.policy), read from the resolved view, never
guessed from the path; an unmarked view gets the strict answer, a path that names
no view gets Django's 404. Pages get an explanation (Szef: with a link to billing);
the API gets 402 JSON; htmx requests are sent to the explanation page. Works on
company hosts only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from billing_saas.lifecycle import Access, access_for, suspended_by_operator
from crm.accounts.access import is_szef
from crm.common.policy import LOCKED, READ_ONLY, request_markers
from tenants.context import request_company

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def allowed(access: Access, method: str, markers: frozenset[str]) -> bool:
    """May a request with this method reach a view with these markers (crm.common.policy)?"""
    if access == Access.FULL or LOCKED in markers:
        return True
    if access == Access.READ_ONLY:
        return method in SAFE_METHODS or READ_ONLY in markers
    return False


def refusal_message(access: Access, *, by_operator: bool = False) -> str:
    if access == Access.SUSPENDED and by_operator:
        return _(
            "Konto firmy jest zawieszone przez operatora: skontaktuj się z nami. Dane są bezpieczne; do tego czasu "
            "działa tylko logowanie, eksport danych i Ustawienia > Płatności."
        )
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
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        company = request_company(request)
        if company is None:
            return None
        access = access_for(company)
        if allowed(access, request.method or "GET", request_markers(request, view_func)):
            return None
        return self.refuse(request, access)

    def refuse(self, request: HttpRequest, access: Access) -> HttpResponse:
        company = request_company(request)
        by_operator = access == Access.SUSPENDED and company is not None and suspended_by_operator(company)
        message = refusal_message(access, by_operator=by_operator)
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
    company = request_company(request)
    by_operator = access == Access.SUSPENDED and company is not None and suspended_by_operator(company)
    return {
        "access": access.value,
        "by_operator": by_operator,
        "message": refusal_message(access, by_operator=by_operator) if access != Access.FULL else "",
        "is_szef": is_szef(user),
        "signed_in": bool(user and user.is_authenticated),
    }
