"""Pages of expenses: the list with its filters and month totals, an expense's card and
forms (with the receipt upload), the receipt download, the CSV export and the monthly report.

Every view reads expenses through `expenses_visible_to(user)`, so another company's
expense (or, for a Pracownik, someone else's) is simply not found: 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.activity.services import activity_export_record
from crm.common import charts
from crm.common.exports import csv_response
from crm.common.params import is_int_text
from crm.common.policy import allowed_when_locked
from crm.common.types import AuthedRequest
from crm.expenses import services
from crm.expenses.forms import ExpenseFilterForm, ExpenseForm, ReportFilterForm
from crm.expenses.models import Expense
from crm.expenses.receipts import receipt_response
from crm.expenses.records import EXPORT_COLUMNS
from crm.expenses.report import REPORT_COLUMNS, ExpenseReport, expense_report, report_csv_rows
from crm.expenses.selectors import (
    expense_change_check,
    expense_list,
    expense_may_change,
    expense_month_totals,
    expense_totals_by_currency,
    expenses_visible_to,
)
from crm.sales.customers import customers_visible_to

PAGE_SIZE = 50
# Service field -> form field, where they differ.
FORM_FIELDS = {"receipt": "receipt_upload"}


def _expense_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Expense:
    """The expense `pk` if the person may see it (else 404); with `change`, 403 unless he
    may also change it."""
    expenses = expenses_visible_to(request.user).select_related(
        "category", "customer", "owner", "created_by", "invoiced"
    )
    expense = get_object_or_404(expenses, pk=pk)
    if change:
        expense_change_check(request.user, expense)
    return expense


def _errors_apply(form: ExpenseForm, exc: ValidationError) -> None:
    """A service's refusal next to the form's fields (the whole form for others)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        field = FORM_FIELDS.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _filter_messages(request: AuthedRequest, form: ExpenseFilterForm) -> bool:
    """Flash the problems of an invalid filter form; True when there were any."""
    if not form.is_bound or form.is_valid():
        return False
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}: {text}" if label and name != NON_FIELD_ERRORS else text)
    return True


@login_required
@require_GET
def expense_list_view(request: AuthedRequest) -> HttpResponse:
    filters = ExpenseFilterForm(request.GET or None, user=request.user)
    refused = _filter_messages(request, filters)
    expenses = expense_list(user=request.user, filters=filters.filters())
    page = Paginator(expenses, PAGE_SIZE).get_page(request.GET.get("page"))
    for expense in page:
        expense.can_change = expense_may_change(request.user, expense)  # type: ignore[attr-defined]
    months = expense_month_totals(expenses)
    context = {
        "page": page,
        "filters": filters,
        "months": months,
        "totals": expense_totals_by_currency(months),
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
    }
    return render(request, "expenses/expense_list.html", context, status=400 if refused else 200)


def _form_save(request: AuthedRequest, form: ExpenseForm, expense: Expense | None) -> Expense | None:
    if not form.is_valid():
        return None
    data = form.service_data()
    try:
        if expense is None:
            return services.expense_create(actor=request.user, **data)
        remove = bool(form.cleaned_data.get("receipt_remove"))
        return services.expense_update(expense=expense, actor=request.user, receipt_remove=remove, **data)
    except ValidationError as exc:
        _errors_apply(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def expense_create(request: AuthedRequest) -> HttpResponse:
    initial: dict[str, Any] = {"date": timezone.localdate(), "currency": "PLN", "owner": request.user}
    raw_customer = request.GET.get("customer")
    if raw_customer:
        customer = customers_visible_to(request.user).filter(pk=int(raw_customer) if is_int_text(raw_customer) else 0)
        initial["customer"] = customer.first()
        if initial["customer"] is None:
            raise Http404
        initial["billable"] = True
    form = ExpenseForm(request.POST or None, request.FILES or None, initial=initial, user=request.user)
    if request.method == "POST":
        if expense := _form_save(request, form, None):
            messages.success(request, _("Dodano wydatek „%(name)s”.") % {"name": expense.name})
            return redirect("expenses:expense_detail", pk=expense.pk)
        return render(request, "expenses/expense_form.html", {"form": form, "expense": None}, status=400)
    return render(request, "expenses/expense_form.html", {"form": form, "expense": None})


@login_required
@require_http_methods(["GET", "POST"])
def expense_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    expense = _expense_for(request, pk, change=True)
    form = ExpenseForm(request.POST or None, request.FILES or None, instance=expense, user=request.user)
    if request.method == "POST":
        fresh = _expense_for(request, pk, change=True)  # the form wrote its data onto `expense`
        if saved := _form_save(request, form, fresh):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("expenses:expense_detail", pk=saved.pk)
        return render(request, "expenses/expense_form.html", {"form": form, "expense": fresh}, status=400)
    return render(request, "expenses/expense_form.html", {"form": form, "expense": expense})


@login_required
@require_GET
def expense_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    expense = _expense_for(request, pk)
    context = {"expense": expense, "can_change": expense_may_change(request.user, expense)}
    return render(request, "expenses/expense_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def expense_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    expense = _expense_for(request, pk, change=True)
    error = ""
    if request.method == "POST":
        name = expense.name
        try:
            services.expense_delete(expense=expense, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Usunięto wydatek „%(name)s”.") % {"name": name})
            return redirect("expenses:expense_list")
    status = 400 if error else 200
    return render(request, "expenses/expense_confirm_delete.html", {"expense": expense, "error": error}, status=status)


@login_required
@require_GET
def expense_receipt(request: AuthedRequest, pk: int) -> FileResponse:
    """The receipt of an expense the person may see; `?inline=1` shows a PDF or an image in the browser."""
    return receipt_response(_expense_for(request, pk), inline=request.GET.get("inline") == "1")


@allowed_when_locked
@login_required
@require_GET
def expense_export(request: AuthedRequest) -> HttpResponseBase:
    """The filtered list as CSV (the columns of the record type's export)."""
    filters = ExpenseFilterForm(request.GET or None, user=request.user)
    if filters.is_bound and not filters.is_valid():
        return _problems(filters)
    expenses = expense_list(user=request.user, filters=filters.filters()).select_related("invoiced")
    chosen = {key: ",".join(request.GET.getlist(key)) for key in request.GET if key != "page"}
    activity_export_record(
        actor=request.user, what="expenses", file_format="csv", rows=expenses.count(), filters=chosen
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(
        filename=f"wydatki-{stamp}.csv",
        header=[label for _name, label in EXPORT_COLUMNS],
        rows=(_export_row(expense) for expense in expenses.iterator(chunk_size=500)),
    )


def _export_row(expense: Expense) -> list[Any]:
    values = {
        "category": expense.category.name if expense.category else "",
        "vat_rate": expense.get_vat_rate_display(),
        "payment_method": expense.get_payment_method_display(),
        "customer": expense.customer.name if expense.customer else "",
        "billable": _("tak") if expense.billable else _("nie"),
        "invoiced": (expense.invoiced.number or f"#{expense.invoiced_id}") if expense.invoiced else "",
        "owner": str(expense.owner) if expense.owner else "",
    }
    return [values[name] if name in values else getattr(expense, name) for name, _label in EXPORT_COLUMNS]


def _problems(form: ExpenseFilterForm) -> HttpResponse:
    text = "; ".join(f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items())
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


# --- the monthly report ---------------------------------------------------------------------


def _report_for(request: AuthedRequest, form: ReportFilterForm) -> ExpenseReport:
    date_from, date_to = form.period()
    return expense_report(user=request.user, date_from=date_from, date_to=date_to, filters=form.filters())


def _report_charts(report: ExpenseReport) -> dict[str, Any]:
    """Two SVG charts of the main currency: months split into billable and own costs,
    and categories in their colours."""
    currency = report.main_currency
    billable_label, own_label = _("Do refakturowania"), _("Koszty własne")
    legend = [(billable_label, "#1e8449"), (own_label, "#2457c5")]
    month_bars = []
    for block in report.months:
        figures = next((f for f in block.totals if f.currency == currency), None)
        if figures is None:
            continue
        month_bars.append(
            charts.Bar(
                label=date_format(block.month, "F Y"),
                values=[(figures.billable_gross, legend[0][1]), (figures.own_gross, legend[1][1])],
                text=f"{charts.number(figures.gross)} {currency}",
            )
        )
    category_bars = []
    for category in report.categories:
        figures = next((f for f in category.totals if f.currency == currency), None)
        if figures is not None:
            category_bars.append(
                charts.Bar(
                    label=category.label,
                    values=[(figures.gross, category.color)],
                    text=f"{charts.number(figures.gross)} {currency}",
                )
            )
    months_title = _("Brutto w miesiącach (%(currency)s)") % {"currency": currency}
    categories_title = _("Brutto według kategorii (%(currency)s)") % {"currency": currency}
    return {
        "months_title": months_title,
        "months_chart": charts.bar_chart(month_bars, title=months_title, legend=legend),
        "categories_title": categories_title,
        "categories_chart": charts.bar_chart(category_bars, title=categories_title),
    }


@login_required
@require_GET
def report(request: AuthedRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "expenses/report.html", {"form": form, "report": None}, status=400)
    expense_report_ = _report_for(request, form)
    context = {"form": form, "report": expense_report_, **_report_charts(expense_report_)}
    return render(request, "expenses/report.html", context)


@allowed_when_locked
@login_required
@require_GET
def report_csv(request: AuthedRequest) -> HttpResponseBase:
    form = ReportFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return _problems(form)
    expense_report_ = _report_for(request, form)
    rows = report_csv_rows(expense_report_)
    activity_export_record(
        actor=request.user,
        what="report",
        title=_("Wydatki w miesiącach"),
        file_format="csv",
        rows=len(rows),
        filters={key: ",".join(request.GET.getlist(key)) for key in request.GET},
    )
    period = f"{expense_report_.date_from.isoformat()}_{expense_report_.date_to.isoformat()}"
    return csv_response(
        filename=f"wydatki-miesiecznie-{period}.csv", header=[label for _name, label in REPORT_COLUMNS], rows=rows
    )
