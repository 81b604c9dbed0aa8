"""Settings > Lejki sprzedaży, /settings/pipelines/ (namespace `pipelines`, Szef only):
pipelines and their stages with probabilities. Every form posts to its own URL; a
refusal shows the reason and changes nothing (crm/sales/pipelines.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from crm.accounts.access import szef_required
from crm.categories.models import DealStage, Pipeline
from crm.common.types import AuthedRequest
from crm.sales import pipelines as services

LIST_URL = "pipelines:list"
NAME = {"max_length": 100, "error_messages": {"required": gettext_lazy("Podaj nazwę.")}}
POSITION = {
    "min_value": 1,
    "required": False,
    "error_messages": {
        "invalid": gettext_lazy("Podaj liczbę całkowitą."),
        "min_value": gettext_lazy("Pozycja musi być liczbą od 1."),
    },
}


class PipelineForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nazwa lejka"), **NAME)  # type: ignore[arg-type]
    position = forms.IntegerField(label=gettext_lazy("Pozycja"), **POSITION)  # type: ignore[arg-type]


class StageForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nazwa etapu"), **NAME)  # type: ignore[arg-type]
    color = forms.RegexField(
        label=gettext_lazy("Kolor"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#3498db",
        error_messages={
            "invalid": gettext_lazy("Podaj kolor w formacie #RRGGBB."),
            "required": gettext_lazy("Podaj kolor w formacie #RRGGBB."),
        },
    )
    probability = forms.IntegerField(
        label=gettext_lazy("Prawdopodobieństwo (%)"),
        min_value=0,
        max_value=100,
        initial=50,
        error_messages={
            "required": gettext_lazy("Prawdopodobieństwo to liczba od 0 do 100."),
            "invalid": gettext_lazy("Prawdopodobieństwo to liczba od 0 do 100."),
            "min_value": gettext_lazy("Prawdopodobieństwo to liczba od 0 do 100."),
            "max_value": gettext_lazy("Prawdopodobieństwo to liczba od 0 do 100."),
        },
    )
    position = forms.IntegerField(label=gettext_lazy("Pozycja"), **POSITION)  # type: ignore[arg-type]


def _page(request: AuthedRequest, status: int = 200) -> HttpResponse:
    stages = Prefetch("stages", queryset=DealStage.objects.order_by("position", "id"))
    rows = list(Pipeline.objects.order_by("position", "id").prefetch_related(stages))
    counts = {p.pk: services.pipeline_deals_count(p) for p in rows}
    items = [{"pipeline": p, "stages": list(p.stages.all()), "deals": counts[p.pk]} for p in rows]
    return render(
        request,
        "sales/pipeline_settings.html",
        {"items": items, "pipelines": rows, "settings_active": LIST_URL, "stage_form": StageForm()},
        status=status,
    )


def _done(request: AuthedRequest, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse(LIST_URL) + anchor)


def _refused(request: AuthedRequest, errors: list[str]) -> HttpResponse:
    for error in errors:
        messages.error(request, error)
    return _page(request, status=400)


def _form_errors(form: forms.Form) -> list[str]:
    out = []
    for name, errs in form.errors.items():
        text = " ".join(str(e) for e in errs)
        out.append(f"{form.fields[name].label}: {text}" if name in form.fields else text)
    return out


def _attempt(request: AuthedRequest, work: Callable[[], Any], message: str, anchor: str = "") -> HttpResponse:
    try:
        work()
    except services.PipelineError as exc:
        return _refused(request, [exc.message])
    return _done(request, message, anchor)


@szef_required
@require_GET
def pipeline_list(request: AuthedRequest) -> HttpResponse:
    return _page(request)


@szef_required
@require_POST
def pipeline_add(request: AuthedRequest) -> HttpResponse:
    form = PipelineForm(request.POST)
    if not form.is_valid():
        return _refused(request, _form_errors(form))
    data = form.cleaned_data
    return _attempt(
        request,
        lambda: services.pipeline_create(actor=request.user, name=data["name"], position=data.get("position")),
        _("Dodano lejek „%(name)s”. Dodaj jego etapy.") % {"name": data["name"].strip()},
    )


@szef_required
@require_POST
def pipeline_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    pipeline = get_object_or_404(Pipeline, pk=pk)
    if "make_default" in request.POST:
        services.pipeline_make_default(actor=request.user, pipeline=pipeline)
        return _done(request, _("„%(name)s” jest teraz domyślnym lejkiem.") % {"name": pipeline.name})
    form = PipelineForm(request.POST)
    if not form.is_valid():
        return _refused(request, _form_errors(form))
    data = form.cleaned_data
    return _attempt(
        request,
        lambda: services.pipeline_update(
            actor=request.user, pipeline=pipeline, name=data["name"], position=data.get("position")
        ),
        _("Zapisano zmiany."),
        f"#pipeline-{pipeline.pk}",
    )


@szef_required
@require_POST
def pipeline_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    pipeline = get_object_or_404(Pipeline, pk=pk)
    raw = request.POST.get("move_to", "")
    move_to = (
        Pipeline.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 18 else None
    )
    name = pipeline.name
    return _attempt(
        request,
        lambda: services.pipeline_delete(actor=request.user, pipeline=pipeline, move_to=move_to),
        _("Usunięto lejek „%(name)s”.") % {"name": name},
    )


@szef_required
@require_POST
def stage_add(request: AuthedRequest, pk: int) -> HttpResponse:
    pipeline = get_object_or_404(Pipeline, pk=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        return _refused(request, _form_errors(form))
    data = form.cleaned_data
    return _attempt(
        request,
        lambda: services.stage_create(actor=request.user, pipeline=pipeline, **data),
        _("Dodano etap „%(name)s”.") % {"name": data["name"].strip()},
        f"#pipeline-{pipeline.pk}",
    )


@szef_required
@require_POST
def stage_edit(request: AuthedRequest, pk: int, stage_pk: int) -> HttpResponse:
    stage = get_object_or_404(DealStage, pk=stage_pk, pipeline_id=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        return _refused(request, _form_errors(form))
    return _attempt(
        request,
        lambda: services.stage_update(actor=request.user, stage=stage, **form.cleaned_data),
        _("Zapisano zmiany."),
        f"#pipeline-{pk}",
    )


@szef_required
@require_POST
def stage_delete(request: AuthedRequest, pk: int, stage_pk: int) -> HttpResponse:
    stage = get_object_or_404(DealStage, pk=stage_pk, pipeline_id=pk)
    raw = request.POST.get("move_to", "")
    move_to = (
        DealStage.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 18 else None
    )
    name = stage.name
    return _attempt(
        request,
        lambda: services.stage_delete(actor=request.user, stage=stage, move_to=move_to),
        _("Usunięto etap „%(name)s”.") % {"name": name},
        f"#pipeline-{pk}",
    )


@szef_required
@require_POST
def stage_move(request: AuthedRequest, pk: int, stage_pk: int) -> HttpResponse:
    """POST `position` (1 = first in the pipeline). Dragging a row (settings.js) sends
    `format=json` and gets {"ok": bool, "position"|"error"}."""
    stage = get_object_or_404(DealStage, pk=stage_pk, pipeline_id=pk)
    raw = request.POST.get("position", "").strip()
    wants_json = request.POST.get("format") == "json"
    try:
        position = int(raw) if raw.isascii() and raw.lstrip("-").isdigit() and len(raw) < 10 else 0
        services.stage_update(actor=request.user, stage=stage, position=position)
    except services.PipelineError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": exc.message}, status=400)
        return _refused(request, [exc.message])
    if wants_json:
        stages = list(DealStage.objects.filter(pipeline_id=pk).order_by("position", "id"))
        return JsonResponse({"ok": True, "position": services.stage_position(stage, stages)})
    return _done(request, _("Zapisano zmiany."), f"#pipeline-{pk}")
