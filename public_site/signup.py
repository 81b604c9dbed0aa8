"""Signup: the form, the live availability check and the subdomain suggestion.

A valid form goes to `tenants.services.tenant_provision`; on success the browser
is sent to the new company's host with a single-use hand-off token that signs
the new Szef in there (crm/accounts/handoff.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from crm.accounts.handoff import handoff_token_create, handoff_url
from crm.common.errors import form_apply_error
from public_site import ratelimit
from public_site.forms import SignupForm
from tenants.services import (
    TRIAL_DAYS,
    ProvisioningError,
    subdomain_availability,
    subdomain_suggestion,
    tenant_provision,
)
from tenants.subdomains import subdomain_alternatives
from tenants.validators import normalise_subdomain

TEMPLATE = "public_site/signup.html"
KEPT_FIELDS = ("company_name", "first_name", "last_name", "subdomain", "email")


def _too_many_checks() -> JsonResponse:
    reason = _("Zbyt wiele sprawdzeń w krótkim czasie. Odczekaj chwilę i spróbuj ponownie.")
    return JsonResponse({"available": False, "reason": reason}, status=429)


def _page(request: HttpRequest, form: SignupForm, *, status: int = 200, problem: str = "") -> HttpResponse:
    alternatives: list[str] = []
    if form.is_bound and "subdomain" in form.errors:
        alternatives = subdomain_alternatives(
            form.data.get("subdomain", "")[:200], company_name=form.data.get("company_name", "")[:200]
        )
    context = {"form": form, "trial_days": TRIAL_DAYS, "problem": problem, "alternatives": alternatives}
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, SignupForm())
    if not ratelimit.hit(request, "signup"):
        kept = SignupForm(initial={name: request.POST.get(name, "")[:200] for name in KEPT_FIELDS})
        problem = _("Zbyt wiele prób zakładania konta z tego adresu IP. Odczekaj kilkanaście minut i spróbuj ponownie.")
        return _page(request, kept, status=429, problem=problem)
    form = SignupForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    data = form.cleaned_data
    try:
        result = tenant_provision(
            name=data["company_name"],
            subdomain=data["subdomain"],
            email=data["email"],
            password=data["password"],
            owner_name=form.owner_name(),
            language=get_language() or "pl",
        )
    except ProvisioningError as exc:
        form_apply_error(form, exc)
        return _page(request, form)
    company = result.company
    token = handoff_token_create(company_id=company.pk, schema_name=company.schema_name, user_id=result.owner_id)
    return HttpResponseRedirect(handoff_url(subdomain=company.subdomain or "", token=token))


@never_cache
@require_GET
def signup_check(request: HttpRequest) -> JsonResponse:
    """`{"available": bool, "reason": str, "suggestions": [str]}` for `?subdomain=` (and optional
    `&company_name=`); reason is empty when available, suggestions are two free addresses when not."""
    if not ratelimit.hit(request, "signup_check"):
        return _too_many_checks()
    raw = request.GET.get("subdomain", "")[:200]
    problem = subdomain_availability(raw)
    suggestions = subdomain_alternatives(raw, company_name=request.GET.get("company_name", "")[:200]) if problem else []
    return JsonResponse(
        {
            "available": problem is None,
            "reason": problem or "",
            "subdomain": normalise_subdomain(raw),
            "suggestions": suggestions,
        }
    )


@never_cache
@require_GET
def signup_suggest(request: HttpRequest) -> JsonResponse:
    """A free subdomain made from `?company_name=`, with its availability."""
    if not ratelimit.hit(request, "signup_check"):
        return _too_many_checks()
    suggestion = subdomain_suggestion(request.GET.get("company_name", "")[:200])
    problem = subdomain_availability(suggestion) if suggestion else ""
    return JsonResponse({"subdomain": suggestion, "available": not problem, "reason": problem or ""})
