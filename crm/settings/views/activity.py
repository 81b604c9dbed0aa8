"""Settings > Dziennik aktywności: the log page and its CSV export (Szef only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import szef_required
from crm.activity.models import ActivityEntry, ActivityKind
from crm.activity.selectors import ActivityFilterForm, activity_list, object_type_label
from crm.activity.services import activity_export_record
from crm.common.exports import csv_response
from crm.common.policy import allowed_when_locked
from crm.common.types import AuthedRequest

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> tuple[ActivityFilterForm, Any]:
    form = ActivityFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, activity_list(
            user=data.get("user"),
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    if form.is_bound:
        return form, ActivityEntry.objects.none()
    return form, activity_list()


@szef_required
def activity_log(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.object_type_label = object_type_label(entry.object_type)
    return render(
        request,
        "settings/activity_log.html",
        {"form": form, "page": page},
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


def _header() -> list[str]:
    return [_("Kiedy"), _("Użytkownik"), _("Rodzaj"), _("Typ obiektu"), _("Obiekt"), _("Opis"), _("Adres IP")]


def _rows(entries: Any) -> Iterator[list[str]]:
    kinds = dict(ActivityKind.choices)
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user_label,
            str(kinds.get(entry.kind, entry.kind)),
            object_type_label(entry.object_type),
            entry.object_repr,
            entry.text,
            entry.ip or "",
        ]


@allowed_when_locked
@szef_required
def activity_export(request: AuthedRequest) -> HttpResponseBase:
    form, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Popraw filtry dziennika."), status=400, content_type="text/plain; charset=utf-8")
    activity_export_record(
        actor=request.user,
        what="activity",
        file_format="csv",
        rows=entries.count(),
        filters=dict(form.cleaned_data) if form.is_bound else {},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"dziennik-aktywnosci-{stamp}.csv", header=_header(), rows=_rows(entries))
