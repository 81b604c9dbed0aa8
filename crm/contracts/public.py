"""The customer's page of a contract: /c/<token>/ on the company's own host, no login.
The customer reads the contract and signs it once with a typed name; the time, the
address and the SHA-256 of the text signed are recorded (crm.contracts.services).

The same guards as the offers' page (crm/offers/public.py): the token exists only on
the host of the company that sent it (elsewhere 404), never for a draft; kept out of
search engines and caches; guessing tokens is limited per address (429); reachable
while the company is read-only, outside its allowed-IP list and 2FA (nobody signs in
here); staff opening the link see a preview and cannot sign.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.activity.services import client_ip as sign_ip
from crm.common.token_pages import TokenGuard, customer_page, private
from crm.contracts.forms import SignForm
from crm.contracts.models import Contract
from crm.contracts.selectors import SIGNABLE, contract_by_token, contract_hash
from crm.contracts.services import ContractSignError, contract_sign
from tenants.selectors import company_active

GUARD = TokenGuard(scope="contract_public", settings_name="IMCRM_CONTRACT_PUBLIC_RATE_LIMITS")
public = customer_page


def _is_company_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _page(
    request: HttpRequest, contract: Contract, *, form: SignForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    company = company_active()
    digest = contract_hash(contract)
    context = {
        "contract": contract,
        "company_name": company.name if company is not None else "",
        "signable": contract.status in SIGNABLE and contract.signed_at is None,
        "form": form or SignForm(initial={"document_hash": digest}),
        "document_hash": digest,
        "error": error,
        "preview": _is_company_staff(request),
    }
    return private(render(request, "contracts/public/contract.html", context, status=status))


@public
@require_GET
def contract_public(request: HttpRequest, token: str) -> HttpResponse:
    found = GUARD.find(request, token, contract_by_token)
    if isinstance(found, HttpResponse):
        return found
    return _page(request, found)


@public
@require_POST
def contract_public_sign(request: HttpRequest, token: str) -> HttpResponse:
    found = GUARD.find(request, token, contract_by_token)
    if isinstance(found, HttpResponse):
        return found
    if _is_company_staff(request):
        message = _("To podgląd umowy: podpisać ją może tylko klient (bez logowania do CRM).")
        return _page(request, found, error=message, status=403)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _page(request, found, form=form, status=400)
    try:
        contract_sign(
            contract=found,
            name=form.cleaned_data["name"],
            ip=sign_ip(request),
            shown_hash=form.cleaned_data.get("document_hash") or "",
        )
    except ContractSignError as exc:
        if exc.field == "name":
            form.add_error("name", exc.message)
            return _page(request, found, form=form, status=400)
        found.refresh_from_db()
        return _page(request, found, error=exc.message, status=409)
    return HttpResponseRedirect(reverse("contracts_public:page", args=[found.public_token]) + "#sign")
