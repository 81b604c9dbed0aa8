"""POST /bulk/<type>/: the action bar under the customer, lead, deal and task lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
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
        count = bulk_apply(
            key=key,
            actor=request.user,
            ids=request.POST.getlist("ids"),
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
