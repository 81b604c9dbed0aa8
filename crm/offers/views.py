"""Staff pages of offers: the list, the form with its lines, the card, sending, deleting
a draft, and setting the deal's value from an accepted offer.

Every view reads offers through `offers_visible_to(user)`: another company's offer (or,
for a restricted Pracownik, a colleague's) is simply not found, 404.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.common.errors import form_apply_validation_error
from crm.common.params import id_or_none
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.contacts.selectors import customers_visible_to
from crm.documents.totals import document_totals
from crm.offers import services
from crm.offers.emails import offer_public_url
from crm.offers.forms import OfferForm, OfferLineFormSet, OfferSendForm, lines_initial
from crm.offers.models import Offer, OfferStatus
from crm.offers.pdf import offer_pdf_response
from crm.offers.selectors import AWAITING, offer_change_check, offer_may_change, offers_visible_to
from crm.offers.selectors import offer_list as offer_list_select
from crm.sales.selectors import deal_may_change, deals_visible_to

DEFAULT_VALID_DAYS = 30
LINES_PREFIX = "lines"


def _offer_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Offer:
    offers = offers_visible_to(request.user).select_related("customer", "deal", "owner", "created_by")
    offer = get_object_or_404(offers, pk=pk)
    if change:
        offer_change_check(request.user, offer)
    return offer


@login_required
@require_GET
def offer_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in OfferStatus.values:
        status = ""
    query = request.GET.get("q", "")[:100]
    offers = offer_list_select(user=request.user, query=query, status=status)
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "status": status, "q": query, "statuses": OfferStatus.choices}
    return render(request, "offers/offer_list.html", ctx)


def _form_context(request: AuthedRequest, form: OfferForm, lines: Any, offer: Offer | None) -> dict[str, Any]:
    return {"form": form, "lines": lines, "offer": offer, "lines_prefix": LINES_PREFIX}


def _save(request: AuthedRequest, form: OfferForm, lines: Any, offer: Offer | None) -> Offer | None:
    if not (form.is_valid() and lines.is_valid()):
        return None
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        if offer is None:
            return services.offer_create(actor=request.user, lines=lines.line_data(), **data)
        return services.offer_update(offer=offer, actor=request.user, lines=lines.line_data(), **data)
    except ValidationError as exc:
        form_apply_validation_error(form, exc)
        return None


def _initial_from_request(request: AuthedRequest) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A new offer's fields, prefilled from ?deal= (customer, deal, value as a line) or ?customer=."""
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "issue_date": today,
        "valid_until": today + timedelta(days=DEFAULT_VALID_DAYS),
        "owner": request.user,
        "currency": "PLN",
    }
    line_rows: list[dict[str, Any]] = []
    if "deal" in request.GET:
        deal = (
            deals_visible_to(request.user)
            .select_related("customer")
            .filter(pk=id_or_none(request.GET["deal"]) or 0)
            .first()
        )
        if deal is None:
            raise Http404
        initial.update(customer=deal.customer, deal=deal, currency=deal.currency, title=deal.name)
        if deal.value:
            line_rows.append(
                {"name": deal.name, "quantity": Decimal(1), "unit": "usł.", "net_price": deal.value, "vat_rate": "23"}
            )
    elif "customer" in request.GET:
        customer = customers_visible_to(request.user).filter(pk=id_or_none(request.GET["customer"]) or 0).first()
        if customer is None:
            raise Http404
        initial["customer"] = customer
    return initial, line_rows


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = OfferForm(request.POST, user=request.user)
        lines = OfferLineFormSet(request.POST, prefix=LINES_PREFIX)
        if offer := _save(request, form, lines, None):
            messages.success(request, _("Zapisano szkic oferty. Sprawdź ją i wyślij klientowi."))
            return redirect("offers:offer_detail", pk=offer.pk)
        return render(request, "offers/offer_form.html", _form_context(request, form, lines, None), status=400)
    initial, line_rows = _initial_from_request(request)
    form = OfferForm(initial=initial, user=request.user)
    lines = OfferLineFormSet(initial=line_rows or None, prefix=LINES_PREFIX)
    return render(request, "offers/offer_form.html", _form_context(request, form, lines, None))


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk, change=True)
    if offer.status != OfferStatus.DRAFT:
        messages.error(request, _("Wysłanej oferty nie można już zmienić."))
        return redirect("offers:offer_detail", pk=offer.pk)
    if request.method == "POST":
        form = OfferForm(request.POST, instance=offer, user=request.user)
        lines = OfferLineFormSet(request.POST, prefix=LINES_PREFIX, initial=lines_initial(offer))
        fresh = _offer_for(request, pk, change=True)  # the form writes its data onto `offer`
        if _save(request, form, lines, fresh):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("offers:offer_detail", pk=pk)
        return render(request, "offers/offer_form.html", _form_context(request, form, lines, fresh), status=400)
    form = OfferForm(instance=offer, user=request.user)
    lines = OfferLineFormSet(initial=lines_initial(offer), prefix=LINES_PREFIX)
    return render(request, "offers/offer_form.html", _form_context(request, form, lines, offer))


def _detail_context(request: AuthedRequest, offer: Offer, **extra: Any) -> dict[str, Any]:
    lines = list(offer.lines.select_related("product").order_by("position", "id"))
    totals = document_totals(line.as_line_in() for line in lines)
    deal_changeable = offer.deal is not None and deal_may_change(request.user, offer.deal)
    return {
        "offer": offer,
        "lines": lines,
        "totals": totals,
        "can_change": offer_may_change(request.user, offer),
        "can_send": offer.status in (OfferStatus.DRAFT, *AWAITING),
        "public_url": offer_public_url(offer) if offer.status != OfferStatus.DRAFT else "",
        "can_set_deal_value": offer.status == OfferStatus.ACCEPTED and deal_changeable,
        "sections": card_sections_render(request, "offer", offer, places=("main", "side")),
        **extra,
    }


@login_required
@require_GET
def offer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk)
    return render(request, "offers/offer_detail.html", _detail_context(request, offer))


@login_required
@require_GET
def offer_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return offer_pdf_response(_offer_for(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def offer_send(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk, change=True)
    form = OfferSendForm(request.POST or None, initial={"to": offer.customer.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_send(
                offer=offer, actor=request.user, to=form.cleaned_data["to"], message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Wysłano ofertę do %(to)s.") % {"to": form.cleaned_data["to"]})
            return redirect("offers:offer_detail", pk=pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "offers/offer_send.html", {"offer": offer, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def offer_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk, change=True)
    if request.method == "POST":
        try:
            services.offer_delete(offer=offer, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("offers:offer_detail", pk=pk)
        messages.success(request, _("Usunięto szkic oferty."))
        return redirect("offers:offer_list")
    return render(request, "offers/offer_confirm_delete.html", {"offer": offer})


@login_required
@require_POST
def offer_deal_value(request: AuthedRequest, pk: int) -> HttpResponse:
    """One click on an accepted offer: its net total becomes the deal's value."""
    offer = _offer_for(request, pk)
    try:
        deal = services.offer_deal_value_set(offer=offer, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Wartość szansy „%(deal)s” to teraz wartość oferty.") % {"deal": deal.name})
    return redirect("offers:offer_detail", pk=pk)
