"""Settings > Kosz: what was deleted in the last 30 days, and restoring it (Szef only)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.accounts.access import szef_required
from crm.common.records import record_type
from crm.common.types import AuthedRequest
from crm.trash.models import TrashEntry
from crm.trash.selectors import trash_entries_for
from crm.trash.services import trash_restore


def _type_label(key: str) -> str:
    try:
        return str(record_type(key).label)
    except KeyError:
        pass
    try:  # not a record type (a contact person, a file, a recurring invoice): the model's own name
        return str(apps.get_model(key)._meta.verbose_name)
    except (LookupError, ValueError):
        return key


def _page(request: AuthedRequest, template: str, restore_url: str) -> HttpResponse:
    page = Paginator(trash_entries_for(request.user), 50).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.type_label = _type_label(entry.record_key)
    return render(request, template, {"page": page, "restore_url": restore_url})


def _restore(request: AuthedRequest, pk: int, back: str) -> HttpResponse:
    entry = get_object_or_404(trash_entries_for(request.user), pk=pk)
    try:
        record = trash_restore(entry=TrashEntry.objects.get(pk=entry.pk), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse(back))
    messages.success(request, _("Przywrócono „%(name)s”.") % {"name": entry.name})
    try:
        return HttpResponseRedirect(record_type(entry.record_key).card_url(record))
    except (KeyError, NoReverseMatch):
        return HttpResponseRedirect(reverse(back))


@szef_required
def trash_list(request: AuthedRequest) -> HttpResponse:
    return _page(request, "trash/list.html", "trash:restore")


@szef_required
@require_POST
def trash_restore_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _restore(request, pk, "trash:list")


@login_required
def my_trash_list(request: AuthedRequest) -> HttpResponse:
    """Mój kosz: what this person deleted or what was his, for anybody (Szef: everything)."""
    return _page(request, "trash/mine.html", "my_trash:restore")


@login_required
@require_POST
def my_trash_restore(request: AuthedRequest, pk: int) -> HttpResponse:
    return _restore(request, pk, "my_trash:list")
