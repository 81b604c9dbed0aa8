"""Pages of the payments side: an invoice's payments and reminders (also a block on the
invoice card, crm/invoicing/cards_payments.py), the "Niezapłacone" list with ageing,
the sales report and their CSV exports, and Szef's reminder settings.

Invoices are read through `invoices_visible_to`: another company's invoice, or one a
restricted Pracownik may not see, is a 404; writing needs Szef or Kierownik (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.access import szef_required
from crm.activity.services import activity_export_record
from crm.common.errors import form_apply_error
from crm.common.exports import csv_response
from crm.common.policy import allowed_when_locked
from crm.common.types import AuthedRequest
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.forms_payments import PaymentForm, ReminderSettingsForm, SalesReportForm, UnpaidFilterForm
from crm.invoicing.models import Invoice, PaymentReminderSettings
from crm.invoicing.payments import (
    OPEN_STATUSES,
    PAYABLE_KINDS,
    PaymentError,
    invoice_amount_due,
    invoice_left_to_pay,
    payment_create,
    payment_delete,
)
from crm.invoicing.reminders import ReminderError, payment_reminder_send_now, reminder_settings_save
from crm.invoicing.reports import COLUMNS, SECTIONS, sales_report
from crm.invoicing.unpaid import (
    BUCKETS,
    ageing_by_customer,
    ageing_totals,
    bucket_filter,
    unpaid_export_header,
    unpaid_export_rows,
    unpaid_invoices,
)
from crm.invoicing.visibility import may_manage_money, money_manage_check

SECTION_TEMPLATE = "invoicing/payments/_section.html"


def _invoice_for(request: AuthedRequest, pk: int) -> Invoice:
    return get_object_or_404(invoices_visible_to(request.user).select_related("customer"), pk=pk)


def payments_section_context(
    request: AuthedRequest, invoice: Invoice, *, form: PaymentForm | None = None
) -> dict[str, Any]:
    """What the payments block shows (on the invoice card and on its own page)."""
    left = invoice_left_to_pay(invoice)
    accepts = invoice.kind in PAYABLE_KINDS and invoice.status in OPEN_STATUSES and left > 0
    return {
        "invoice": invoice,
        "payments": list(invoice.payments.select_related("created_by").order_by("-paid_at", "-id")),
        "reminders": list(invoice.payment_reminders.select_related("sent_by").order_by("-sent_at", "-id")[:20]),
        "amount_due": invoice_amount_due(invoice),
        "left": left,
        "can_manage": may_manage_money(request.user),
        "accepts_payments": accepts,
        "can_remind": accepts and bool(invoice.customer.email),
        "payment_form": form or PaymentForm(left=left, method=invoice.payment_method),
    }


def _section_or_page(
    request: AuthedRequest, invoice: Invoice, *, form: PaymentForm | None = None, status: int = 200
) -> HttpResponse:
    context = payments_section_context(request, invoice, form=form)
    template = SECTION_TEMPLATE if request.htmx else "invoicing/payments/invoice_payments.html"
    return render(request, template, context, status=status)


def _back(invoice: Invoice) -> HttpResponse:
    return redirect("payments:invoice_payments", pk=invoice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_payments(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the invoice's payments and reminders; POST: record a payment."""
    invoice = _invoice_for(request, pk)
    if request.method == "GET":
        return _section_or_page(request, invoice)
    money_manage_check(request.user)
    form = PaymentForm(request.POST, left=invoice_left_to_pay(invoice))
    if form.is_valid():
        try:
            payment = payment_create(actor=request.user, invoice=invoice, **form.cleaned_data)
        except PaymentError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Zapisano płatność do faktury %(number)s.") % {"number": invoice.number})
            if request.htmx:
                return _section_or_page(request, payment.invoice)
            return _back(invoice)
    return _section_or_page(request, invoice, form=form, status=400)


@login_required
@require_POST
def payment_remove(request: AuthedRequest, pk: int, payment_pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    payment = get_object_or_404(invoice.payments.all(), pk=payment_pk)
    money_manage_check(request.user)
    invoice = payment_delete(actor=request.user, payment=payment)
    messages.success(request, _("Usunięto płatność."))
    if request.htmx:
        return _section_or_page(request, invoice)
    return _back(invoice)


@login_required
@require_POST
def reminder_send(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send the customer a payment reminder now (Szef, Kierownik)."""
    invoice = _invoice_for(request, pk)
    money_manage_check(request.user)
    try:
        reminder = payment_reminder_send_now(actor=request.user, invoice=invoice)
    except ReminderError as exc:
        messages.error(request, exc.message)
        status = 400
    else:
        messages.success(request, _("Wysłano przypomnienie do %(to)s.") % {"to": reminder.to})
        status = 200
    if request.htmx:
        return _section_or_page(request, _invoice_for(request, pk), status=status)
    return _back(invoice)


# --- Niezapłacone ------------------------------------------------------------------------------


def _unpaid_query(request: AuthedRequest) -> tuple[UnpaidFilterForm, Any, Any]:
    today = timezone.localdate()
    form = UnpaidFilterForm(request.GET or None)
    qs = unpaid_invoices(request.user, today=today)
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("currency"):
            qs = qs.filter(currency=form.cleaned_data["currency"].upper())
        customer = request.GET.get("customer", "")
        if customer.isascii() and customer.isdigit() and len(customer) < 19:
            qs = qs.filter(customer_id=int(customer))
    return form, qs, today


@login_required
@require_GET
def unpaid_list(request: AuthedRequest) -> HttpResponse:
    form, qs, today = _unpaid_query(request)
    refused = form.is_bound and not form.is_valid()
    invoices = qs
    bucket = form.cleaned_data.get("bucket") if form.is_bound and not refused else ""
    if bucket:
        invoices = bucket_filter(invoices, bucket)
    page = Paginator(invoices.select_related("customer"), 50).get_page(request.GET.get("page"))
    for invoice in page:
        invoice.days_past_due = max((today - invoice.due_date).days, 0)
    context = {
        "form": form,
        "buckets": BUCKETS,
        "bucket_labels": {b.key: b.label for b in BUCKETS},
        "totals": ageing_totals(qs, today=today),
        "customers": ageing_by_customer(qs, today=today)[:100],
        "page": page,
        "today": today,
    }
    return render(request, "invoicing/payments/unpaid.html", context, status=400 if refused else 200)


@allowed_when_locked
@login_required
@require_GET
def unpaid_csv(request: AuthedRequest) -> HttpResponseBase:
    form, qs, today = _unpaid_query(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Popraw filtry."), status=400, content_type="text/plain; charset=utf-8")
    if form.is_bound and form.cleaned_data.get("bucket"):
        qs = bucket_filter(qs, form.cleaned_data["bucket"])
    activity_export_record(
        actor=request.user,
        what="report",
        title=str(_("Niezapłacone faktury")),
        file_format="csv",
        rows=qs.count(),
        filters={key: ",".join(request.GET.getlist(key)) for key in request.GET},
    )
    return csv_response(
        filename=f"niezaplacone-{today.isoformat()}.csv",
        header=unpaid_export_header(),
        rows=unpaid_export_rows(qs, today=today),
    )


# --- sales report -----------------------------------------------------------------------------


def _report_filters(request: AuthedRequest) -> tuple[SalesReportForm, dict[str, Any] | None]:
    form = SalesReportForm(request.GET or None)
    if not request.GET:
        today = timezone.localdate()
        return form, {"date_from": today.replace(month=1, day=1), "date_to": today}
    if not form.is_valid():
        return form, None
    return form, {"date_from": form.cleaned_data.get("date_from"), "date_to": form.cleaned_data.get("date_to")}


@login_required
@require_GET
def sales_report_view(request: AuthedRequest) -> HttpResponse:
    form, filters = _report_filters(request)
    if filters is not None and not form.is_bound:
        form = SalesReportForm(initial=filters)
    report = sales_report(request.user, **filters) if filters is not None else None
    sections = [(key, title, report.sections.get(key, [])) for key, title in SECTIONS.items()] if report else []
    return render(
        request,
        "invoicing/payments/sales_report.html",
        {"form": form, "report": report, "sections": sections, "filters": filters},
        status=200 if filters is not None else 400,
    )


@allowed_when_locked
@login_required
@require_GET
def sales_report_csv(request: AuthedRequest) -> HttpResponseBase:
    form, filters = _report_filters(request)
    if filters is None:
        problems = "; ".join(f"{field}: {' '.join(str(e) for e in errs)}" for field, errs in form.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    report = sales_report(request.user, **filters)
    activity_export_record(
        actor=request.user,
        what="report",
        title=str(_("Raport sprzedaży (faktury)")),
        file_format="csv",
        rows=len(report.rows),
        filters={key: str(value) for key, value in filters.items() if value},
    )
    section_labels = {key: str(title) for key, title in SECTIONS.items()}
    rows = [
        [section_labels[r.section], r.key, r.label, r.currency, r.count, r.invoiced, r.paid, r.outstanding]
        for r in report.rows
    ]
    return csv_response(
        filename=f"raport-sprzedazy-{timezone.localdate().isoformat()}.csv",
        header=[label for _key, label in COLUMNS],
        rows=rows,
    )


# --- Settings > Przypomnienia o płatnościach ---------------------------------------------------


@szef_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: AuthedRequest) -> HttpResponse:
    obj = PaymentReminderSettings.current()
    form = ReminderSettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        fields = ReminderSettingsForm.Meta.fields
        changes = {name: form.cleaned_data[name] for name in fields}
        try:
            reminder_settings_save(actor=request.user, obj=PaymentReminderSettings.current(), changes=changes)
        except ReminderError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Zapisano ustawienia przypomnień."))
            return redirect(reverse("payments_settings:reminders"))
    return render(
        request,
        "invoicing/payments/reminder_settings.html",
        {"form": form, "settings_active": "payments_settings:reminders"},
        status=400 if request.method == "POST" else 200,
    )
