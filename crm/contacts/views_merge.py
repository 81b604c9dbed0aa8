"""Merging two customers on a page: /customers/<pk>/merge/?other=<id> compares both side
by side, the person picks the value of each field, and the other customer goes into this one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.common.params import is_int_text
from crm.common.types import AuthedRequest
from crm.contacts.merge import (
    CUSTOM_PREFIX,
    CustomerMergeError,
    customer_merge,
    may_merge,
    merge_choices,
    merge_defaults,
)
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_search, customers_visible_to


def _shown(customer: Customer, name: str) -> str:
    if name.startswith(CUSTOM_PREFIX):
        value = (customer.custom_fields or {}).get(name[len(CUSTOM_PREFIX) :])
    elif name == "kind":
        value = customer.get_kind_display()
    else:
        value = getattr(customer, name)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _label(name: str) -> str:
    if name.startswith(CUSTOM_PREFIX):
        return name[len(CUSTOM_PREFIX) :]
    return str(getattr(Customer._meta.get_field(name), "verbose_name", name)).capitalize()


def _rows(survivor: Customer, other: Customer, chosen: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "label": _label(name),
            "mine": _shown(survivor, name),
            "theirs": _shown(other, name),
            "same": _shown(survivor, name) == _shown(other, name),
            "chosen": chosen.get(name, survivor.pk),
        }
        for name in merge_choices(survivor, other)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def customer_merge_view(request: AuthedRequest, pk: int) -> HttpResponse:
    visible = customers_visible_to(request.user).select_related("status", "type", "source", "owner")
    survivor = get_object_or_404(visible, pk=pk)
    raw_other = request.POST.get("other") or request.GET.get("other", "")
    if not is_int_text(raw_other):
        query = request.GET.get("q", "").strip()[:100]
        found = list(customers_search(visible.exclude(pk=pk), query)[:20]) if query else []
        return render(request, "contacts/customer_merge_pick.html", {"customer": survivor, "q": query, "found": found})
    other = get_object_or_404(visible, pk=int(raw_other))
    if other.pk == survivor.pk:
        messages.error(request, _("Wybierz innego klienta do scalenia."))
        return redirect("contacts:customer_merge", pk=pk)
    if not may_merge(request.user, survivor, other):
        raise PermissionDenied(_("Scalić klientów może Kierownik, Szef albo opiekun obu klientów."))
    chosen = merge_defaults(survivor, other)
    error = ""
    if request.method == "POST":
        fields = {
            name: request.POST[f"f_{name}"] for name in merge_choices(survivor, other) if f"f_{name}" in request.POST
        }
        try:
            customer_merge(survivor=survivor, other=other, actor=request.user, fields=fields)
        except CustomerMergeError as exc:
            error = exc.message
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Scalono klienta „%(other)s” z tym klientem.") % {"other": other.name})
            return redirect("contacts:customer_detail", pk=survivor.pk)
        chosen.update({name: int(v) for name, v in fields.items() if is_int_text(v)})
    ctx = {"customer": survivor, "other": other, "rows": _rows(survivor, other, chosen), "error": error}
    return render(request, "contacts/customer_merge.html", ctx, status=400 if error else 200)
