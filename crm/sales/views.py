"""Pages of the sales pipeline: the board, the list, a deal's page and forms.

Every view reads deals through `deals_visible_to(user)`, so another company's deal
(or, for a restricted Pracownik, a colleague's deal) is simply not found: 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.access import refusal_as_json
from crm.accounts.models import User
from crm.categories.models import DealStage, DealStatus, LossReason, Pipeline, WinReason, pipeline_default
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.customfields.definitions import custom_fields_of
from crm.customfields.filters import custom_filters_page
from crm.sales import services
from crm.sales.board import pipeline_board, pipeline_totals
from crm.sales.customers import customer_choices, customers_visible_to
from crm.sales.forms import DealCloseForm, DealForm, DealListFilterForm, PipelineFilterForm
from crm.sales.models import Deal
from crm.sales.selectors import (
    DEAL_DEFAULT_SORT,
    DEAL_SORTS,
    deal_change_check,
    deal_may_change,
    deals_visible_to,
)
from crm.sales.selectors import deal_list as deal_list_select
from crm.sales.templatetags.sales_tags import money_totals


def _deal_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Deal:
    """The deal `pk` if `user` may see it (else 404); with `change`, 403 unless he may
    also change it (Pracownik: deals he owns)."""
    deals = deals_visible_to(request.user).select_related(
        "customer", "owner", "category", "status", "stage", "win_reason", "loss_reason", "pipeline"
    )
    deal = get_object_or_404(deals, pk=pk)
    if change:
        deal_change_check(request.user, deal)
    return deal


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


BOARD_PIPELINE_SESSION_KEY = "sales_board_pipeline"


def _board_pipeline(request: AuthedRequest, asked: Pipeline | None) -> Pipeline:
    """The pipeline the board shows: the one asked for (remembered in the session), else
    the one shown last, else the default one."""
    if asked is not None:
        request.session[BOARD_PIPELINE_SESSION_KEY] = asked.pk
        return asked
    remembered = _int_or_none(str(request.session.get(BOARD_PIPELINE_SESSION_KEY) or ""))
    chosen = Pipeline.objects.filter(pk=remembered).first() if remembered else None
    return chosen or pipeline_default()


@login_required
@require_GET
def pipeline(request: AuthedRequest) -> HttpResponse:
    asked = PipelineFilterForm(request.GET).pipeline_chosen() if request.GET.get("pipeline") else None
    board_pipeline = _board_pipeline(request, asked)
    data = request.GET.copy()
    data["pipeline"] = str(board_pipeline.pk)
    filters = PipelineFilterForm(data)
    columns = pipeline_board(user=request.user, pipeline=board_pipeline, **filters.ids())
    return render(
        request,
        "sales/pipeline.html",
        {
            "board_pipeline": board_pipeline,
            "columns": columns,
            "deals_url": reverse("sales:pipeline"),
            "filters": filters,
            "filter_query": request.GET.urlencode(),
            **{status.code: status for status in DealStatus.objects.filter(code__in=("won", "lost", "postponed"))},
            "win_reasons": WinReason.objects.all(),
            "loss_reasons": LossReason.objects.all(),
        },
    )


def _deal_list(user: User, params: QueryDict) -> tuple[DealListFilterForm, str, QuerySet[Deal]]:
    filters = DealListFilterForm(params or None)
    sort = params.get("sort", "")
    sort = sort if sort in DEAL_SORTS else DEAL_DEFAULT_SORT
    deals = deal_list_select(user=user, sort=sort, **filters.list_filters())
    return filters, sort, custom_filters_page(deals, fields=custom_fields_of("deal"), params=params)


def deal_list_matching(*, user: User, params: QueryDict) -> QuerySet[Deal]:
    """Every deal the list shows for these query parameters, on all its pages; also the
    set "select all matching" of a bulk action names (crm.bulk)."""
    return _deal_list(user, params)[2]


@login_required
@require_GET
def deal_list(request: AuthedRequest) -> HttpResponse:
    filters, sort, deals = _deal_list(request.user, request.GET)
    page = Paginator(deals, 50).get_page(request.GET.get("page"))
    return render(request, "sales/deal_list.html", {"page": page, "filters": filters, "sort": sort})


def _form_save(request: AuthedRequest, form: DealForm, deal: Deal | None) -> Deal | None:
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    data["custom_fields"] = form.cleaned_data["custom_fields"]
    try:
        if deal is None:
            return services.deal_create(actor=request.user, **data)
        return services.deal_update(deal=deal, actor=request.user, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def deal_create(request: AuthedRequest) -> HttpResponse:
    board_pipeline = _board_pipeline(request, None)
    initial: dict[str, Any] = {
        "status": services.default_status(),
        "pipeline": board_pipeline,
        "stage": services.default_stage(board_pipeline),
        "owner": request.user,
        "currency": "PLN",
    }
    if "customer" in request.GET:
        customer_id = _int_or_none(request.GET["customer"])
        customer = customers_visible_to(request.user).filter(pk=customer_id).first() if customer_id else None
        if customer is None:
            raise Http404
        initial["customer"] = customer
        initial["name"] = customer.name
    form = DealForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and (deal := _form_save(request, form, None)):
        messages.success(request, _("Dodano szansę sprzedaży „%(name)s”.") % {"name": deal.name})
        return redirect("sales:deal_detail", pk=deal.pk)
    return render(request, "sales/deal_form.html", {"form": form, "deal": None})


@login_required
@require_http_methods(["GET", "POST"])
def deal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = _deal_for(request, pk, change=True)
    form = DealForm(request.POST or None, instance=deal, user=request.user)
    if request.method == "POST":
        deal = _deal_for(request, pk, change=True)  # a fresh copy: the form wrote its data onto the instance
        if saved := _form_save(request, form, deal):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("sales:deal_detail", pk=saved.pk)
    return render(request, "sales/deal_form.html", {"form": form, "deal": deal})


def _detail_context(request: AuthedRequest, deal: Deal, close_form: DealCloseForm | None = None) -> dict[str, Any]:
    if close_form is None:
        close_form = DealCloseForm(
            initial={"status": deal.status, "win_reason": deal.win_reason, "loss_reason": deal.loss_reason}
        )
    return {
        "deal": deal,
        "pipeline": services.deal_pipeline_of(deal),
        "can_change": deal_may_change(request.user, deal),
        "close_form": close_form,
        # Blocks other apps put on the card: tasks, notes and files, history (crm.common.records).
        "sections": card_sections_render(request, "deal", deal, places=("main", "side")),
    }


@login_required
@require_GET
def deal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = _deal_for(request, pk)
    return render(request, "sales/deal_detail.html", _detail_context(request, deal))


@login_required
@require_POST
def deal_close(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = _deal_for(request, pk, change=True)
    form = DealCloseForm(request.POST)
    if form.is_valid():
        try:
            services.deal_close(deal=deal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Zmieniono status na „%(status)s”.") % {"status": deal.status.name})
            return redirect("sales:deal_detail", pk=deal.pk)
    deal = _deal_for(request, pk)
    return render(request, "sales/deal_detail.html", _detail_context(request, deal, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def deal_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = _deal_for(request, pk, change=True)
    if request.method == "POST":
        name = deal.name
        services.deal_delete(deal=deal, actor=request.user)
        messages.success(request, _("Usunięto szansę sprzedaży „%(name)s”.") % {"name": name})
        return redirect("sales:pipeline")
    return render(request, "sales/deal_confirm_delete.html", {"deal": deal})


def _lookup(model: Any, raw: str | None) -> Any:
    """A category chosen by id in a drag-and-drop request; a bad id is a ValidationError."""
    if raw in (None, ""):
        return None
    pk = _int_or_none(raw)
    obj = model.objects.filter(pk=pk).first() if pk else None
    if obj is None:
        raise ValidationError(_("Wybrana pozycja nie istnieje. Odśwież stronę."))
    return obj


def _column_figures(user: User, filters: PipelineFilterForm, pipeline: Pipeline) -> dict[str, dict[str, Any]]:
    """Count and formatted sum of every column of the board of `pipeline` ("" is the
    no-stage column)."""
    stage_ids = list(DealStage.objects.filter(pipeline=pipeline).values_list("pk", flat=True))
    totals = pipeline_totals(user=user, pipeline=pipeline, stage_ids=stage_ids, **filters.ids())
    keys: list[int | None] = [*stage_ids, None]
    figures = {}
    for stage_id in keys:
        count, sums = totals.get(stage_id, (0, []))
        figures[str(stage_id or "")] = {"count": count, "total": money_totals(sums)}
    return figures


@login_required
@require_POST
@refusal_as_json
def deal_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Drag and drop on the board. POST `stage` (a stage id, "" for none) or `status`
    (+ `win_reason` / `loss_reason`); answers JSON with the new column figures."""
    deal = _deal_for(request, pk, change=True)
    try:
        if "status" in request.POST:
            status = _lookup(DealStatus, request.POST["status"])
            if status is None:
                raise ValidationError(_("Wybierz status."))
            services.deal_close(
                deal=deal,
                status=status,
                actor=request.user,
                win_reason=_lookup(WinReason, request.POST.get("win_reason")),
                loss_reason=_lookup(LossReason, request.POST.get("loss_reason")),
            )
        elif "stage" in request.POST:
            services.deal_move_stage(deal=deal, stage=_lookup(DealStage, request.POST["stage"]), actor=request.user)
        else:
            raise ValidationError(_("Wybierz etap lub status."))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
    filters = PipelineFilterForm(request.POST)
    figures = _column_figures(request.user, filters, services.deal_pipeline_of(deal))
    return JsonResponse({"ok": True, "stage": deal.stage_id, "columns": figures})


@login_required
@require_GET
def customer_options(request: AuthedRequest) -> HttpResponse:
    """<option>s of customers matching `q` for the customer pickers (htmx)."""
    customers = customer_choices(user=request.user, query=request.GET.get("q", ""))
    return render(request, "sales/_options.html", {"objects": customers})


@login_required
@require_GET
def deal_options(request: AuthedRequest) -> HttpResponse:
    """<option>s of the visible deals of one customer, for the task form (htmx)."""
    customer_id = _int_or_none(request.GET.get("customer"))
    deals = (
        deals_visible_to(request.user).filter(customer_id=customer_id).order_by("-created_at")[:50]
        if customer_id
        else []
    )
    return render(request, "sales/_options.html", {"objects": deals})
