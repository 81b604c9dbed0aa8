"""The two links of the welcome e-mail, on the public host: confirm the owner's
address, or report "this was not me" (tenants/owner_email.py, billing_saas/not_me.py).

Opening a link (GET) only shows what it will do; the button (POST) does it. Mail
scanners that open every link in a message must not confirm an address or,
worse, schedule a company for deletion.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from billing_saas.not_me import company_not_me_report
from tenants.owner_email import Outcome, Purpose, claimed_company, owner_email_confirm, owner_email_token_read
from tenants.urls_helpers import company_url

TEMPLATE = "public_site/owner_email.html"


def _page(request: HttpRequest, token: str, purpose: Purpose) -> HttpResponse:
    claim = owner_email_token_read(token=token, purpose=purpose)
    company = claimed_company(claim) if claim is not None else None
    # `firm`, not `company`: on the public host `company` (tenants.context_processors) stays None.
    context: dict[str, object] = {"purpose": purpose.value, "claim": claim, "firm": None}
    if claim is None or company is None:
        context["outcome"] = "invalid" if claim is None else Outcome.GONE.value
        return render(request, TEMPLATE, context, status=404)
    context["firm"] = company
    context["firm_url"] = company_url(company.subdomain or "")
    if request.method == "POST":
        act = owner_email_confirm if purpose == Purpose.CONFIRM else company_not_me_report
        context["outcome"] = act(claim=claim).value
    elif company.owner_reported_not_me_at is not None:
        context["outcome"] = Outcome.REPORTED.value if purpose == Purpose.CONFIRM else Outcome.ALREADY.value
    elif company.owner_email_confirmed_at is not None:
        context["outcome"] = Outcome.ALREADY.value if purpose == Purpose.CONFIRM else Outcome.CONFIRMED.value
    return render(request, TEMPLATE, context)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, token, Purpose.CONFIRM)


@never_cache
@require_http_methods(["GET", "POST"])
def not_me(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, token, Purpose.NOT_ME)
