"""Settings > Kontakty / Zadania / Sprzedaż: colour categories (seed 003)."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.accounts.access import szef_required
from crm.accounts.models import User
from crm.categories.models import ColourCategory
from crm.common.errors import form_apply_error
from crm.common.params import is_int_text
from crm.contracts.forms import ContractSettingsForm
from crm.contracts.models import ContractSettings
from crm.contracts.services import contract_settings_update
from crm.leads.settings_views import lead_settings_context
from crm.settings.categories import (
    KINDS,
    SECTIONS,
    CategoryError,
    CategoryKind,
    category_can_uncategorise,
    category_create,
    category_default_replacement,
    category_delete,
    category_locked_message,
    category_move,
    category_position_after,
    category_update,
    category_usages,
    kinds_in_section,
)
from crm.settings.forms import CategoryDeleteForm, CategoryForm
from crm.settings.views.common import settings_render
from crm.tickets.settings_views import ticket_settings_context

SECTION_URL = {
    "contacts": "crmsettings:contacts",
    "tasks": "crmsettings:tasks",
    "sales": "crmsettings:sales",
    "expenses": "crmsettings:expenses",
    "contracts": "crmsettings:contracts",
    "tickets": "crmsettings:tickets",
    "leads": "crmsettings:leads",
}


def _kind(slug: str) -> CategoryKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def usage_counts(model: type[ColourCategory]) -> Counter[int]:
    """How many records use each category of `model`: one grouped query per relation."""
    counts: Counter[int] = Counter()
    for rel in model._meta.related_objects:
        if rel.related_model is None or not isinstance(rel.field, models.Field):
            continue
        name = rel.field.name
        related = cast(type[models.Model], rel.related_model)
        rows = (
            related._default_manager.exclude(**{f"{name}__isnull": True})
            .values(name)
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        for row in rows:
            counts[row[name]] += row["n"]
    return counts


def _section_page(
    request: HttpRequest,
    section: str,
    forms: dict[str, CategoryForm] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    forms = forms or {}
    blocks = []
    for kind in kinds_in_section(section):
        if kind.managed_at:  # e.g. the stages: per pipeline, in Settings > Lejki sprzedaży
            blocks.append({"kind": kind, "managed_at": reverse(kind.managed_at)})
            continue
        counts = usage_counts(kind.model)
        items = list(kind.model._default_manager.all())
        for item in items:
            item.in_use = counts.get(item.pk, 0)  # type: ignore[attr-defined]
        blocks.append(
            {
                "kind": kind,
                "items": items,
                "form": forms.get(kind.slug) or (CategoryForm(prefix=kind.slug, items=items) if kind.can_add else None),
            }
        )
    return settings_render(
        request,
        "settings/categories.html",
        {"blocks": blocks, "section": section, "section_title": SECTIONS[section], **(extra or {})},
        active=SECTION_URL[section],
        status=status,
    )


@szef_required
def contacts(request: HttpRequest) -> HttpResponse:
    return _section_page(request, "contacts")


@szef_required
def tasks(request: HttpRequest) -> HttpResponse:
    return _section_page(request, "tasks")


@szef_required
def sales(request: HttpRequest) -> HttpResponse:
    return _section_page(request, "sales")


@szef_required
def expenses(request: HttpRequest) -> HttpResponse:
    return _section_page(request, "expenses")


@szef_required
def contracts(request: HttpRequest) -> HttpResponse:
    """Settings > Umowy: the contract types and the days before a contract's end its owner
    is reminded."""
    if request.method == "POST":
        form = ContractSettingsForm(request.POST)
        if form.is_valid():
            try:
                contract_settings_update(
                    actor=cast(User, request.user), reminder_days=form.cleaned_data["reminder_days"]
                )
            except ValidationError as exc:
                form.add_error("reminder_days", exc.messages)
            else:
                messages.success(request, _("Zapisano ustawienia umów."))
                return redirect("crmsettings:contracts")
        return _section_page(request, "contracts", status=400, extra={"extra_form": form})
    form = ContractSettingsForm(initial={"reminder_days": ContractSettings.current().reminder_days})
    return _section_page(request, "contracts", extra={"extra_form": form})


@szef_required
def tickets(request: HttpRequest) -> HttpResponse:
    """Settings > Zgłoszenia: priorities and statuses (colour lists; "Zamknięte" is locked),
    then the departments, the company's predefined replies and the inbound e-mail secret."""
    extra = {"extra_template": "tickets/settings_block.html", **ticket_settings_context(cast(User, request.user))}
    return _section_page(request, "tickets", extra=extra)


@szef_required
def leads(request: HttpRequest) -> HttpResponse:
    """Settings > Leady: the lead statuses ("Skonwertowany" and "Utracony" are locked), then
    the web-to-lead forms."""
    extra = {"extra_template": "leads/settings_block.html", **lead_settings_context()}
    return _section_page(request, "leads", extra=extra)


def _managed_elsewhere(request: HttpRequest, kind: CategoryKind, item: ColourCategory | None = None) -> HttpResponse:
    """The old address of a list now managed on its own page (the stages: Settings > Lejki
    sprzedaży, per pipeline): a link or bookmark lands there; a form posted here changes nothing."""
    pipeline_id = getattr(item, "pipeline_id", None)
    anchor = f"#pipeline-{pipeline_id}" if pipeline_id else ""
    message = _("Etapy sprzedaży ustawiasz teraz osobno dla każdego lejka, w Ustawienia > Lejki sprzedaży.")
    if request.method == "POST":
        if request.POST.get("format") == "json":
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.info(request, message)
    return redirect(reverse(kind.managed_at) + anchor)


@szef_required
def category_add(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    if not k.can_add:
        raise Http404
    if k.managed_at:
        return _managed_elsewhere(request, k)
    if request.method != "POST":
        return _section_page(request, k.section)
    form = CategoryForm(request.POST, prefix=k.slug, items=k.model._default_manager.all())
    if form.is_valid():
        position = category_position_after(model=k.model, after=form.cleaned_data.get("after") or "")
        try:
            item = category_create(
                actor=cast(User, request.user),
                kind=k,
                name=form.cleaned_data["name"],
                color=form.cleaned_data["color"],
                position=position,
            )
        except CategoryError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Dodano: %(name)s.") % {"name": item.name})
            return redirect(reverse(SECTION_URL[k.section]) + f"#{k.slug}")
    return _section_page(request, k.section, {k.slug: form}, status=400)


@szef_required
def category_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    item = get_object_or_404(k.model, pk=pk)
    if k.managed_at:
        return _managed_elsewhere(request, k, item)
    form = CategoryForm(request.POST or None, initial={"name": item.name, "color": item.color})
    if request.method == "POST" and form.is_valid():
        try:
            category_update(
                actor=cast(User, request.user),
                category=item,
                name=form.cleaned_data["name"],
                color=form.cleaned_data["color"],
            )
        except CategoryError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Zapisano: %(name)s.") % {"name": item.name})
            return redirect(SECTION_URL[k.section])
    return settings_render(
        request,
        "settings/category_edit.html",
        {"kind": k, "item": item, "form": form, "back_url": reverse(SECTION_URL[k.section])},
        active=SECTION_URL[k.section],
        status=400 if request.method == "POST" else 200,
    )


@szef_required
def category_delete_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    item = get_object_or_404(k.model, pk=pk)
    if k.managed_at:
        return _managed_elsewhere(request, k, item)
    usages = [u for u in category_usages(item) if u.count]
    in_use = sum(u.count for u in usages)
    can_uncategorise = category_can_uncategorise(item)
    form = CategoryDeleteForm(
        request.POST or None,
        category=item,
        can_uncategorise=can_uncategorise,
        default=category_default_replacement(item),
    )
    error = None
    if request.method == "POST" and (item.locked or not in_use or form.is_valid()):
        move_to = form.cleaned_data.get("move_to") if in_use and not item.locked else None
        uncategorise = bool(in_use) and form.cleaned_data.get("action") == CategoryDeleteForm.NONE
        try:
            category_delete(
                actor=cast(User, request.user),
                category=item,
                move_to=move_to if not uncategorise else None,
                uncategorise=uncategorise,
            )
        except CategoryError as exc:
            error = exc.message
        else:
            messages.success(request, _("Usunięto: %(name)s.") % {"name": item.name})
            return redirect(SECTION_URL[k.section])
    return settings_render(
        request,
        "settings/category_delete.html",
        {
            "kind": k,
            "item": item,
            "usages": usages,
            "in_use": in_use,
            "form": form,
            "error": error,
            "can_uncategorise": can_uncategorise,
            "locked_message": category_locked_message(item) if item.locked else "",
            "back_url": reverse(SECTION_URL[k.section]),
        },
        active=SECTION_URL[k.section],
        status=400 if request.method == "POST" else 200,
    )


@szef_required
def category_move_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """POST `position` (1 = first), or `direction` up/down from the arrow buttons.
    Drag and drop (settings.js) sends `format=json` and gets {"ok": bool, "error": str}."""
    k = _kind(kind)
    item = get_object_or_404(k.model, pk=pk)
    if k.managed_at:
        return _managed_elsewhere(request, k, item)
    if request.method != "POST":
        return _section_page(request, k.section)
    ids = list(k.model._default_manager.order_by("position", "id").values_list("pk", flat=True))
    current = ids.index(item.pk) + 1
    raw = str(request.POST.get("position") or "").strip()
    direction = request.POST.get("direction")
    wants_json = request.POST.get("format") == "json"
    if is_int_text(raw):
        position = int(raw)
    elif direction in ("up", "down"):
        position = current - 1 if direction == "up" else current + 1
    else:
        position = 0
    try:
        category_move(category=item, position=max(position, 1) if direction else position)
    except CategoryError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": exc.message}, status=400)
        messages.error(request, exc.message)
    else:
        if wants_json:
            return JsonResponse({"ok": True, "position": item.position})
    return redirect(reverse(SECTION_URL[k.section]) + f"#{k.slug}")
