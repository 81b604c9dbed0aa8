"""POST /bulk/<type>/: the action bar under the customer, lead, deal and task lists; with
`matching=1` the action applies to every record the list shows for `query` (its filters and
search, all pages) instead of the ticked `ids`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.bulk.api import VALUE_KEYS
from crm.bulk.services import BulkError, bulk_apply
from crm.bulk.targets import TARGETS
from crm.common.types import AuthedRequest

LIST_URLS = {
    "customer": "contacts:customer_list",
    "lead": "leads:lead_list",
    "deal": "sales:deal_list",
    "task": "tasks:task_list",
}


def _matching(request: AuthedRequest, key: str) -> QuerySet[Any]:
    """Every record the list shows for `query`, the query string it was shown with (its
    filters and search), rather than the ticked rows of one page."""
    query = request.POST.get("query", "")[:4000]
    if "%00" in query or "\x00" in query:  # PostgreSQL text holds no NUL (the list page refuses it too)
        raise BulkError(_("Nieprawidłowe filtry listy. Niczego nie zmieniono."), "filter")
    return TARGETS[key].page_matching(user=request.user, params=QueryDict(query))


@login_required
@require_POST
def bulk_view(request: AuthedRequest, key: str) -> HttpResponse:
    if key not in TARGETS:
        raise Http404
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse(LIST_URLS[key])
    action = request.POST.get("action", "")[:30]
    try:
        matching = _matching(request, key) if request.POST.get("matching") == "1" else None
        count = bulk_apply(
            key=key,
            actor=request.user,
            ids=request.POST.getlist("ids"),
            matching=matching,
            action=action,
            value=request.POST.get(VALUE_KEYS.get(action, ""), ""),
        )
    except BulkError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc.args[0]) if exc.args else str(exc))
    else:
        messages.success(request, _("Zmieniono rekordów: %(count)s.") % {"count": count})
    return redirect(back)
