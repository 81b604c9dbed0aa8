"""Settings > Dziennik systemowy: what failed in the background (e-mails, imports, KSeF,
webhooks, backups, jobs), with filters and a CSV export (Szef only)."""

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
from crm.activity.selectors import object_type_label
from crm.activity.services import activity_export_record
from crm.common.exports import csv_response
from crm.common.types import AuthedRequest
from crm.systemlog.selectors import system_event_filtered

PAGE_SIZE = 50


@szef_required
def system_log(request: HttpRequest) -> HttpResponse:
    form, events = system_event_filtered(request.GET)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.object_type_label = object_type_label(event.object_type)
    return render(
        request,
        "settings/system_log.html",
        {"form": form, "page": page},
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


def _header() -> list[str]:
    return [_("Kiedy"), _("Rodzaj"), _("Poziom"), _("Opis"), _("Typ obiektu"), _("Obiekt"), _("Szczegóły")]


def _rows(events: Any) -> Iterator[list[str]]:
    for event in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            str(event.get_kind_display()),
            str(event.get_level_display()),
            event.message,
            object_type_label(event.object_type),
            event.object_repr,
            event.detail,
        ]


@szef_required
def system_log_export(request: AuthedRequest) -> HttpResponseBase:
    form, events = system_event_filtered(request.GET)
    if form.is_bound and not form.is_valid():
        problems = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(
            _("Popraw filtry dziennika: %(problems)s") % {"problems": problems},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    activity_export_record(
        actor=request.user,
        what="system_log",
        file_format="csv",
        rows=events.count(),
        filters=dict(form.cleaned_data) if form.is_bound else {},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"dziennik-systemowy-{stamp}.csv", header=_header(), rows=_rows(events))
