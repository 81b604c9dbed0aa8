"""The customer's page of an offer: /o/<token>/ on the company's own host, no login.

- The token is 43 random URL-safe characters (crm.offers.models.public_token): the page
  exists only on the host of the company that sent the offer (another company's host,
  or the public site, has no such offer: 404), never for a draft.
- Kept out of search engines (`X-Robots-Tag` and the page's meta), not cached, and its
  address is not sent on as a referrer.
- Guessing tokens is limited per address: every request counts, and a few unknown
  tokens close the door for a while (429) even for a right one.
- Reachable while the company is read-only (the customer's answer is not staff work
  and must not be lost to the company's billing), refused while it is suspended (the
  company is off); outside the company's allowed-IP list (that list guards staff
  access) and without 2FA (nobody signs in here).
- Staff of the company opening the link see the page as the customer does, without
  it counting as the customer's viewing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.activity.services import client_ip as answer_ip
from crm.common.token_pages import TokenGuard, customer_page, private
from crm.documents.totals import document_totals
from crm.offers.answers import OfferAnswerError, offer_accept, offer_decline, offer_view_record
from crm.offers.forms import AcceptForm, DeclineForm
from crm.offers.models import Offer, OfferStatus
from crm.offers.pdf import offer_pdf_response
from crm.offers.selectors import AWAITING, offer_by_token, offer_is_past_validity
from tenants.selectors import company_active

GUARD = TokenGuard(scope="offer_public", settings_name="IMCRM_OFFER_PUBLIC_RATE_LIMITS")
public = customer_page


def _is_company_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _page(
    request: HttpRequest, offer: Offer, *, accept: AcceptForm | None = None, decline: DeclineForm | None = None,
    error: str = "", status: int = 200,
) -> HttpResponse:  # fmt: skip
    lines = list(offer.lines.order_by("position", "id"))
    today = timezone.localdate()
    company = company_active()
    with translation.override(offer.language or "pl"):
        context = {
            "offer": offer,
            "lines": lines,
            "totals": document_totals(line.as_line_in() for line in lines),
            "company_name": company.name if company is not None else "",
            "awaiting": offer.status in AWAITING and not offer_is_past_validity(offer, today),
            "past_validity": offer.status in AWAITING and offer_is_past_validity(offer, today),
            "accept_form": accept or AcceptForm(),
            "decline_form": decline or DeclineForm(),
            "error": error,
            "preview": _is_company_staff(request),
            "LANGUAGE_CODE": offer.language or "pl",
        }
        response = render(request, "offers/public/offer.html", context, status=status)
    return private(response)


@public
@require_GET
def offer_public(request: HttpRequest, token: str) -> HttpResponse:
    found = GUARD.find(request, token, offer_by_token)
    if isinstance(found, HttpResponse):
        return found
    if not _is_company_staff(request) and found.status == OfferStatus.SENT:
        offer_view_record(offer=found, ip=answer_ip(request))
        found.refresh_from_db()
    return _page(request, found)


@public
@require_GET
def offer_public_pdf(request: HttpRequest, token: str) -> HttpResponse:
    found = GUARD.find(request, token, offer_by_token)
    if isinstance(found, HttpResponse):
        return found
    return private(offer_pdf_response(found))


def _answered(request: HttpRequest, offer: Offer) -> HttpResponse:
    return HttpResponseRedirect(reverse("offers_public:page", args=[offer.public_token]) + "#answer")


@public
@require_POST
def offer_public_accept(request: HttpRequest, token: str) -> HttpResponse:
    found = GUARD.find(request, token, offer_by_token)
    if isinstance(found, HttpResponse):
        return found
    if _is_company_staff(request):
        return _staff_refusal(request, found)
    with translation.override(found.language or "pl"):
        form = AcceptForm(request.POST)
        if not form.is_valid():
            return _page(request, found, accept=form, status=400)
        try:
            offer_accept(offer=found, name=form.cleaned_data["name"], ip=answer_ip(request))
        except OfferAnswerError as exc:
            if exc.field == "name":
                form.add_error("name", exc.message)
                return _page(request, found, accept=form, status=400)
            found.refresh_from_db()
            return _page(request, found, error=exc.message, status=409)
    return _answered(request, found)


@public
@require_POST
def offer_public_decline(request: HttpRequest, token: str) -> HttpResponse:
    found = GUARD.find(request, token, offer_by_token)
    if isinstance(found, HttpResponse):
        return found
    if _is_company_staff(request):
        return _staff_refusal(request, found)
    with translation.override(found.language or "pl"):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return _page(request, found, decline=form, status=400)
        try:
            offer_decline(offer=found, comment=form.cleaned_data["comment"], ip=answer_ip(request))
        except OfferAnswerError as exc:
            if exc.field == "comment":
                form.add_error("comment", exc.message)
                return _page(request, found, decline=form, status=400)
            found.refresh_from_db()
            return _page(request, found, error=exc.message, status=409)
    return _answered(request, found)


def _staff_refusal(request: HttpRequest, offer: Offer) -> HttpResponse:
    with translation.override(offer.language or "pl"):
        message = _("To podgląd oferty: odpowiedzieć na nią może tylko klient (bez logowania do CRM).")
    return _page(request, offer, error=message, status=403)
