"""Pages of recurring invoices: the list, making an invoice recurring (and changing or
stopping it), and the block on the invoice card. Szef and Kierownik write; everyone who
sees the invoice reads; another company's invoice is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.common.errors import form_apply_error
from crm.common.types import AuthedRequest
from crm.invoicing import recurring as services
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.forms_payments import RecurringForm
from crm.invoicing.models import Invoice, RecurringInvoice
from crm.invoicing.recurring import RECURRING_KINDS, TEMPLATE_STATUSES, RecurringError, date_advance
from crm.invoicing.visibility import may_manage_money, money_manage_check


def _invoice_for(request: AuthedRequest, pk: int) -> Invoice:
    return get_object_or_404(invoices_visible_to(request.user).select_related("customer"), pk=pk)


def _recurring_of(invoice: Invoice) -> RecurringInvoice | None:
    return RecurringInvoice.objects.filter(template=invoice).first()


def recurring_section_context(request: AuthedRequest, invoice: Invoice) -> dict[str, Any]:
    recurring = _recurring_of(invoice)
    runs = list(recurring.runs.select_related("invoice")[:12]) if recurring else []
    return {
        "invoice": invoice,
        "recurring": recurring,
        "runs": runs,
        "can_manage": may_manage_money(request.user),
        "may_recur": invoice.kind in RECURRING_KINDS and invoice.status in TEMPLATE_STATUSES,
    }


@login_required
@require_http_methods(["GET", "POST"])
def invoice_recurring(request: AuthedRequest, pk: int) -> HttpResponse:
    """Make the invoice recurring, or change its recurrence (Szef, Kierownik)."""
    invoice = _invoice_for(request, pk)
    recurring = _recurring_of(invoice)
    if request.method == "POST":
        money_manage_check(request.user)
    creating = recurring is None
    if recurring is not None:
        initial: dict[str, Any] = {
            "interval": recurring.interval,
            "next_date": recurring.next_date,
            "end_date": recurring.end_date,
            "issue_automatically": recurring.issue_automatically,
            "active": recurring.active,
        }
    else:
        first = date_advance(invoice.issue_date, "monthly", anchor_day=invoice.issue_date.day)
        initial = {"interval": "monthly", "next_date": max(first, timezone.localdate()), "issue_automatically": True}
    form = RecurringForm(request.POST or None, initial=initial, creating=creating)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if recurring is None:
                    services.recurring_create(actor=request.user, template=invoice, **data)
                    messages.success(request, _("Faktura będzie wystawiana cyklicznie."))
                else:
                    services.recurring_update(actor=request.user, recurring=recurring, **data)
                    messages.success(request, _("Zapisano zmiany."))
            except RecurringError as exc:
                form_apply_error(form, exc)
            else:
                return redirect("payments:invoice_recurring", pk=invoice.pk)
        status = 400
    context = {**recurring_section_context(request, invoice), "form": form}
    return render(request, "invoicing/payments/invoice_recurring.html", context, status=status)


@login_required
@require_POST
def recurring_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    recurring = get_object_or_404(RecurringInvoice, template=invoice)
    money_manage_check(request.user)
    services.recurring_delete(actor=request.user, recurring=recurring)
    messages.success(request, _("Faktura nie będzie już wystawiana cyklicznie."))
    return redirect("payments:invoice_recurring", pk=invoice.pk)


@login_required
@require_GET
def recurring_list(request: AuthedRequest) -> HttpResponse:
    recurrences = (
        RecurringInvoice.objects.filter(template__in=invoices_visible_to(request.user))
        .select_related("template__customer")
        .order_by("-active", "next_date", "id")
    )
    page = Paginator(recurrences, 50).get_page(request.GET.get("page"))
    return render(request, "invoicing/payments/recurring_list.html", {"page": page})
