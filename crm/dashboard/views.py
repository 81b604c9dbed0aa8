"""Home page (widgets), its htmx partials, the quick-add task and the reports page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.accounts.access import is_szef
from crm.activity.services import activity_export_record
from crm.common import charts
from crm.common.exports import csv_response
from crm.common.policy import allowed_when_locked
from crm.common.types import AuthedRequest
from crm.dashboard.checklist import checklist_for
from crm.dashboard.forms import QuickTaskForm, ReportFilterForm
from crm.dashboard.home import HomeData
from crm.dashboard.reports import REPORTS, Report, ReportFilters, report_build
from crm.dashboard.selectors import scope_for
from crm.dashboard.services import layout_for_role, task_quick_add
from crm.dashboard.widgets import WIDGETS
from crm.kb.selectors import announcements_for_home


def _widget_template(key: str) -> str:
    return WIDGETS[key].template_name


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    keys = layout_for_role(request.user.role)
    data = HomeData(scope=scope_for(request.user), params=request.GET)
    widgets = []
    for key in keys:
        ctx = data.context(key)
        widgets.append({"widget": ctx["widget"], "html": render_to_string(_widget_template(key), ctx, request)})
    user = request.user
    checklist = checklist_for(user=user)
    context = {
        "widgets": widgets,
        "can_configure": is_szef(user),
        "checklist": checklist,
        "announcements": announcements_for_home(user=user),
    }
    return render(request, "dashboard/home.html", context)


@login_required
@require_GET
def widget(request: AuthedRequest, key: str) -> HttpResponse:
    """One widget re-rendered (the 3/7/30-day switch, follow-up filters)."""
    if key not in WIDGETS or key not in layout_for_role(request.user.role):
        raise Http404
    data = HomeData(scope=scope_for(request.user), params=request.GET)
    return render(request, _widget_template(key), data.context(key))


@login_required
@require_http_methods(["GET", "POST"])
def quick_task(request: AuthedRequest) -> HttpResponse:
    """Quick add from the calendar widget: with htmx the calendar comes back (with the
    form open while there are errors); without JavaScript a small page of its own."""
    if "calendar" not in layout_for_role(request.user.role):
        raise Http404
    today = timezone.localdate()
    form = QuickTaskForm(request.POST or None, initial={"due_date": today})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            task = task_quick_add(user=request.user, **form.cleaned_data)
            notice = _("Dodano zadanie „%(title)s”.") % {"title": task.title}
            if not request.htmx:
                messages.success(request, notice)
                return redirect("/#w-calendar")
            data = HomeData(scope=scope_for(request.user), params={})
            return render(request, _widget_template("calendar"), {**data.context("calendar"), "notice": notice})
        status = 200 if request.htmx else 400
    if request.htmx:
        data = HomeData(scope=scope_for(request.user), params={})
        return render(request, _widget_template("calendar"), {**data.context("calendar"), "quick_form": form})
    return render(request, "dashboard/task_quick_add.html", {"form": form}, status=status)


# --- Reports -------------------------------------------------------------------------


def _money(rows: list[dict[str, Any]]) -> str:
    sums: dict[str, Decimal] = {}
    for row in rows:
        if row.get("value") is not None and row.get("currency"):
            sums[row["currency"]] = sums.get(row["currency"], Decimal("0")) + row["value"]
    return " · ".join(f"{charts.number(v)} {c}" for c, v in sorted(sums.items(), key=lambda i: (i[0] != "PLN", i[0])))


def sales_bars(rows: list[dict[str, Any]]) -> list[charts.Bar]:
    """One bar per group (its rows per currency merged): length = number of deals."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["id"], []).append(row)
    bars = []
    for group in groups.values():
        n = sum(r["count"] for r in group)
        text = f"{n} · {_money(group)}" if n else "0"
        bars.append(charts.Bar(label=str(group[0]["label"]), values=[(n, group[0]["color"] or "")], text=text))
    return bars


def forecast_chart(rows: list[dict[str, Any]], *, title: str) -> Any:
    """Weighted value per month, one column each, in the main currency (PLN when present);
    the table under the chart has every currency."""
    currencies = [r["currency"] for r in rows]
    if not currencies:
        return None
    main = "PLN" if "PLN" in currencies else sorted(currencies)[0]
    mine = [r for r in rows if r["currency"] == main]
    return charts.column_chart(
        [str(r["label"]) for r in mine],
        [r["weighted"] for r in mine],
        title=f"{title} ({main})",
        fmt=lambda v: charts.number(v),
    )


def _report_view_model(report: Report) -> dict[str, Any]:
    sections = []
    for section in report.sections:
        svg = None
        if report.name == "user-activity":
            legend = [(_("Zadania wykonane"), "#1abc9c"), (_("Wygrane szanse"), "#27ae60"), (_("Notatki"), "#2457c5")]
            svg = charts.bar_chart(
                [
                    charts.Bar(
                        label=row["label"],
                        values=[
                            (row["tasks_done"], legend[0][1]),
                            (row["deals_won"], legend[1][1]),
                            (row["notes_added"], legend[2][1]),
                        ],
                    )
                    for row in section.rows
                ],
                title=section.title,
                legend=legend,
            )
        elif report.name == "deals-forecast" and section.key == "month":
            svg = forecast_chart(section.rows, title=section.title)
        elif section.key != "summary":
            svg = charts.bar_chart(sales_bars(section.rows), title=section.title)
        sections.append({"section": section, "svg": svg})
    cards = []
    if report.sections and report.sections[0].key == "summary":
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in report.sections[0].rows:
            grouped.setdefault(row["id"], []).append(row)
        for key, rows in grouped.items():
            if key == "win_ratio":
                share = rows[0]["share"]
                cards.append({"key": key, "label": rows[0]["label"], "count": charts.percent_text(share), "money": ""})
            else:
                money = rows
                if report.name == "deals-forecast":  # the weighted sums: what the forecast is about
                    money = [{**r, "value": r["weighted"]} for r in rows]
                cards.append(
                    {
                        "key": key,
                        "label": rows[0]["label"],
                        "count": sum(r["count"] for r in rows),
                        "money": _money(money),
                    }
                )
    return {"report": report, "sections": sections, "cards": cards}


def _filters_or_errors(request: AuthedRequest) -> tuple[ReportFilterForm, ReportFilters | None]:
    form = ReportFilterForm(request.GET or None)
    if not request.GET:
        return form, ReportFilters()
    return form, form.filters() if form.is_valid() else None


@login_required
@require_GET
def reports(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters_or_errors(request)
    reports_vm = []
    if filters is not None:
        scope = scope_for(request.user)
        reports_vm = [_report_view_model(report_build(name, scope=scope, filters=filters)) for name in REPORTS]
    return render(
        request,
        "dashboard/reports.html",
        {"form": form, "reports": reports_vm},
        status=200 if filters is not None else 400,
    )


@allowed_when_locked
@login_required
@require_GET
def report_csv(request: AuthedRequest, name: str) -> HttpResponseBase:
    if name not in REPORTS:
        raise Http404
    form, filters = _filters_or_errors(request)
    if filters is None:
        problems = "; ".join(f"{field}: {' '.join(str(e) for e in errs)}" for field, errs in form.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    report = report_build(name, scope=scope_for(request.user), filters=filters)
    activity_export_record(
        actor=request.user,
        what="report",
        title=str(report.title),
        file_format="csv",
        rows=len(report.rows),
        filters={key: ",".join(request.GET.getlist(key)) for key in request.GET},
    )
    stamp = timezone.localdate().isoformat()
    # ',' as these CSVs have always been written (the other exports use ';').
    return csv_response(
        filename=f"{name}-{stamp}.csv",
        header=[label for _key, label in report.columns],
        rows=([row.get(key) for key, _label in report.columns] for row in report.rows),
        delimiter=",",
    )
