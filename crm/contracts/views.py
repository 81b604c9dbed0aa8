"""Staff pages of contracts: the list with filters, the form, the card (with the renewal
history), sending for signature, renewing and deleting.

Every view reads contracts through `contracts_visible_to(user)`: another company's
contract (or, for a restricted Pracownik, a colleague's) is simply not found, 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.common.errors import form_apply_validation_error
from crm.common.params import date_param, id_or_none
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.contacts.selectors import customers_visible_to
from crm.contracts import services
from crm.contracts.emails import contract_public_url
from crm.contracts.forms import ContractForm, ContractRenewForm, ContractSendForm
from crm.contracts.models import Contract, ContractStatus, ContractType
from crm.contracts.selectors import (
    SIGNABLE,
    contract_change_check,
    contract_hash,
    contract_history,
    contract_may_change,
    contracts_visible_to,
)
from crm.contracts.selectors import contract_list as contract_list_select
from crm.sales.selectors import deals_visible_to


def _contract_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Contract:
    contracts = contracts_visible_to(request.user).select_related("customer", "deal", "owner", "created_by", "type")
    contract = get_object_or_404(contracts, pk=pk)
    if change:
        contract_change_check(request.user, contract)
    return contract


@login_required
@require_GET
def contract_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ContractStatus.values:
        status = ""
    kind = id_or_none(request.GET.get("type"))
    query = request.GET.get("q", "")[:100]
    try:
        created_from = date_param(request.GET.get("created_from"))
        date_error = ""
    except ValidationError as exc:
        created_from, date_error = None, exc.messages[0]
    contracts = contract_list_select(
        user=request.user, query=query, status=status, type_id=kind, created_from=created_from
    )
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "status": status,
        "type_id": kind,
        "created_from": created_from,
        "date_error": date_error,
        "q": query,
        "statuses": ContractStatus.choices,
        "types": list(ContractType.objects.all()),
    }
    return render(request, "contracts/contract_list.html", ctx)


def _save(request: AuthedRequest, form: ContractForm, contract: Contract | None) -> Contract | None:
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        if contract is None:
            return services.contract_create(actor=request.user, **data)
        return services.contract_update(contract=contract, actor=request.user, **data)
    except ValidationError as exc:
        form_apply_validation_error(form, exc)
        return None


def _initial_from_request(request: AuthedRequest) -> dict[str, Any]:
    """A new contract's fields, prefilled from ?deal= (customer, deal, value) or ?customer=."""
    initial: dict[str, Any] = {"start_date": timezone.localdate(), "owner": request.user, "currency": "PLN"}
    if "deal" in request.GET:
        deal = (
            deals_visible_to(request.user)
            .select_related("customer")
            .filter(pk=id_or_none(request.GET["deal"]) or 0)
            .first()
        )
        if deal is None:
            raise Http404
        initial.update(customer=deal.customer, deal=deal, currency=deal.currency, subject=deal.name, value=deal.value)
    elif "customer" in request.GET:
        customer = customers_visible_to(request.user).filter(pk=id_or_none(request.GET["customer"]) or 0).first()
        if customer is None:
            raise Http404
        initial["customer"] = customer
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContractForm(request.POST, user=request.user)
        if contract := _save(request, form, None):
            messages.success(request, _("Zapisano umowę."))
            return redirect("contracts:contract_detail", pk=contract.pk)
        return render(request, "contracts/contract_form.html", {"form": form, "contract": None}, status=400)
    form = ContractForm(initial=_initial_from_request(request), user=request.user)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": None})


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk, change=True)
    if request.method == "POST":
        form = ContractForm(request.POST, instance=contract, user=request.user)
        fresh = _contract_for(request, pk, change=True)  # the form writes its data onto `contract`
        if _save(request, form, fresh):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("contracts:contract_detail", pk=pk)
        return render(request, "contracts/contract_form.html", {"form": form, "contract": fresh}, status=400)
    form = ContractForm(instance=contract, user=request.user)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": contract})


@login_required
@require_GET
def contract_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk)
    visible = set(contracts_visible_to(request.user).values_list("pk", flat=True)[:10000])
    history = [c for c in contract_history(contract) if c.pk in visible]
    ctx = {
        "contract": contract,
        "can_change": contract_may_change(request.user, contract),
        "can_send": contract.status in (ContractStatus.DRAFT, *SIGNABLE),
        "public_url": contract_public_url(contract) if contract.status != ContractStatus.DRAFT else "",
        "history": history if len(history) > 1 else [],
        "current_hash": contract_hash(contract),
        "renew_form": ContractRenewForm(),
        "sections": card_sections_render(request, "contract", contract, places=("main", "side")),
    }
    return render(request, "contracts/contract_detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def contract_send(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk, change=True)
    form = ContractSendForm(request.POST or None, initial={"to": contract.customer.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_send(
                contract=contract, actor=request.user, to=form.cleaned_data["to"], message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Wysłano umowę do podpisu: %(to)s.") % {"to": form.cleaned_data["to"]})
            return redirect("contracts:contract_detail", pk=pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "contracts/contract_send.html", {"contract": contract, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contract_renew(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk, change=True)
    form = ContractRenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.contract_renew(
                contract=contract,
                actor=request.user,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data.get("end_date"),
            )
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            messages.success(request, _("Utworzono odnowienie umowy (szkic)."))
            return redirect("contracts:contract_detail", pk=renewal.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "contracts/contract_renew.html", {"contract": contract, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contract_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract_for(request, pk, change=True)
    if request.method == "POST":
        try:
            services.contract_delete(contract=contract, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("contracts:contract_detail", pk=pk)
        messages.success(request, _("Usunięto umowę."))
        return redirect("contracts:contract_list")
    return render(request, "contracts/contract_confirm_delete.html", {"contract": contract})
