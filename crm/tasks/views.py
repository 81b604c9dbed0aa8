"""Pages of tasks: the list views, a task's page and forms, the board and the calendar.

Every view reads tasks through `tasks_visible_to(user)`, so another company's task
(or someone else's private task) is simply not found: 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.access import refusal_as_json
from crm.accounts.models import User
from crm.categories.models import TaskCategory
from crm.common.params import date_param, is_int_text
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.sales.customers import customers_visible_to
from crm.sales.selectors import deals_visible_to
from crm.tasks import services
from crm.tasks.forms import AssigneeFilterForm, TaskForm, TaskListFilterForm
from crm.tasks.models import Task
from crm.tasks.selectors import (
    calendar_range,
    task_board,
    task_calendar,
    task_change_check,
    task_list,
    task_may_change,
    task_project_choices,
    tasks_visible_to,
    week_start,
)


def _task_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Task:
    """The task `pk` if `user` may see it (else 404); with `change`, 403 unless he may
    also change it (Pracownik: tasks he created or is assigned)."""
    tasks = tasks_visible_to(request.user).select_related(
        "category", "assignee", "created_by", "customer", "deal", "project", "milestone"
    )
    task = get_object_or_404(tasks, pk=pk)
    if change:
        task_change_check(request.user, task)
    return task


def _int_or_404(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Http404 from None


def _next_url(request: AuthedRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")  # a path on this host, never a view name for redirect() to resolve
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return fallback


def _task_list(user: User, params: QueryDict) -> tuple[TaskListFilterForm, dict[str, Any], QuerySet[Task]]:
    filters = TaskListFilterForm(params or None)
    chosen = filters.filters()
    return filters, chosen, task_list(user=user, **chosen)


def task_list_matching(*, user: User, params: QueryDict) -> QuerySet[Task]:
    """Every task the list shows for these query parameters, on all its pages; also the
    set "select all matching" of a bulk action names (crm.bulk)."""
    return _task_list(user, params)[2]


@login_required
@require_GET
def task_list_view(request: AuthedRequest) -> HttpResponse:
    filters, chosen, tasks = _task_list(request.user, request.GET)
    refused = filters.is_bound and not filters.is_valid()
    for field, errors in (filters.errors if refused else {}).items():
        label = filters.fields[field].label if field in filters.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}: {text}" if label else text)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    changeable = {task.pk for task in page if task_may_change(request.user, task)}
    context = {"page": page, "changeable": changeable, "filters": filters, "view": chosen["view"], **chosen}
    return render(request, "tasks/task_list.html", context, status=400 if refused else 200)


def _form_save(request: AuthedRequest, form: TaskForm, task: Task | None) -> Task | None:
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        if task is None:
            title = data.pop("title")
            return services.task_create(actor=request.user, title=title, **data)
        return services.task_update(task=task, actor=request.user, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthedRequest) -> HttpResponse:
    initial: dict[str, Any] = {"assignee": request.user}
    if "customer" in request.GET:
        customer = customers_visible_to(request.user).filter(pk=_int_or_404(request.GET["customer"])).first()
        if customer is None:
            raise Http404
        initial["customer"] = customer
    if "deal" in request.GET:
        deal = deals_visible_to(request.user).filter(pk=_int_or_404(request.GET["deal"])).first()
        if deal is None:
            raise Http404
        initial["deal"] = deal
        initial.setdefault("customer", deal.customer)
    if "project" in request.GET or "milestone" in request.GET:
        projects, milestones = task_project_choices(request.user)
        if "milestone" in request.GET:
            milestone = milestones.filter(pk=_int_or_404(request.GET["milestone"])).first()
            if milestone is None:
                raise Http404
            initial["milestone"] = milestone
            initial["project"] = milestone.project
        else:
            project = projects.filter(pk=_int_or_404(request.GET["project"])).first()
            if project is None:
                raise Http404
            initial["project"] = project
        initial.setdefault("customer", initial["project"].customer)
    status = 200
    try:
        day = date_param(request.GET.get("date"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        day, status = None, 400
    if day is not None:
        initial["due_at"] = timezone.make_aware(datetime.combine(day, time(9, 0)))
    form = TaskForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and (task := _form_save(request, form, None)):
        messages.success(request, _("Dodano zadanie „%(title)s”.") % {"title": task.title})
        return redirect("tasks:task_detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "task": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk, change=True)
    form = TaskForm(request.POST or None, instance=task, user=request.user)
    if request.method == "POST":
        task = _task_for(request, pk, change=True)  # a fresh copy: the form wrote its data onto the instance
        if saved := _form_save(request, form, task):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("tasks:task_detail", pk=saved.pk)
    return render(request, "tasks/task_form.html", {"form": form, "task": task})


@login_required
@require_GET
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    sections = card_sections_render(request, "task", task, places=("main",))
    context = {"task": task, "sections": sections, "can_change": task_may_change(request.user, task)}
    return render(request, "tasks/task_detail.html", context)


@login_required
@require_POST
def task_done(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark a task done (done=1) or not done (done=0); back to `next` or the task."""
    task = _task_for(request, pk, change=True)
    done = request.POST.get("done", "1") not in ("0", "false", "")
    services.task_done_set(task=task, done=done, actor=request.user)
    if done:
        messages.success(request, _("Zadanie „%(title)s” wykonane.") % {"title": task.title})
    return redirect(_next_url(request, reverse("tasks:task_detail", args=[task.pk])))


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk, change=True)
    if request.method == "POST":
        title = task.title
        services.task_delete(task=task, actor=request.user)
        messages.success(request, _("Usunięto zadanie „%(title)s”.") % {"title": title})
        return redirect("tasks:task_list")
    return render(request, "tasks/task_confirm_delete.html", {"task": task})


# --- Board --------------------------------------------------------------------------


def _locked_mark(user: User, tasks: Iterable[Task]) -> None:
    """`locked` on the cards `user` may not move (a Pracownik's view of others' tasks):
    they show a lock and cannot be picked up (the server refuses the move anyway)."""
    for task in tasks:
        task.locked = not task_may_change(user, task)  # type: ignore[attr-defined]


@login_required
@require_GET
def board(request: AuthedRequest) -> HttpResponse:
    by = "state" if request.GET.get("by") == "state" else "category"
    filters = AssigneeFilterForm(request.GET or None)
    columns = task_board(user=request.user, by=by, assignee_id=filters.assignee_id())
    _locked_mark(request.user, (task for column in columns for task in column.tasks))
    return render(
        request,
        "tasks/board.html",
        {"columns": columns, "by": by, "filters": filters, "tasks_url": reverse("tasks:task_list")},
    )


@login_required
@require_POST
@refusal_as_json
def board_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Drag and drop on the board: POST `category` (id, "" for none) or `state` (todo/done)."""
    task = _task_for(request, pk, change=True)
    try:
        if "state" in request.POST:
            state = request.POST["state"]
            if state not in ("todo", "done"):
                raise ValidationError(_("Nieznany stan zadania."))
            services.task_done_set(task=task, done=state == "done", actor=request.user)
        elif "category" in request.POST:
            raw = request.POST["category"]
            category = None
            if raw:
                category = TaskCategory.objects.filter(pk=int(raw) if is_int_text(raw) else 0).first()
                if category is None:
                    raise ValidationError(_("Wybrana pozycja nie istnieje. Odśwież stronę."))
            services.task_update(task=task, actor=request.user, category=category)
        else:
            raise ValidationError(_("Wybierz kategorię lub stan."))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True})


# --- Calendar -----------------------------------------------------------------------


@login_required
@require_GET
def calendar(request: AuthedRequest) -> HttpResponse:
    mode = "week" if request.GET.get("view") == "week" else "month"
    status = 200
    try:
        anchor = date_param(request.GET.get("date")) or timezone.localdate()
    except ValidationError as exc:
        messages.error(request, _("Nie pokażemy tej daty: %(problem)s") % {"problem": " ".join(exc.messages)})
        anchor, status = timezone.localdate(), 400
    filters = AssigneeFilterForm(request.GET or None)
    weeks = task_calendar(user=request.user, mode=mode, anchor=anchor, assignee_id=filters.assignee_id())
    _locked_mark(request.user, (task for week in weeks for cell in week for task in cell.tasks))
    first, last = calendar_range(mode=mode, anchor=anchor)
    if mode == "week":
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    else:
        previous = (anchor.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (anchor.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "tasks/calendar.html",
        {
            "weeks": weeks,
            "tasks_url": reverse("tasks:task_list"),
            "mode": mode,
            "anchor": anchor,
            "first": first,
            "last": last,
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "week_of_today": week_start(timezone.localdate()),
            "weekdays": [day.day for day in weeks[0]] if weeks else [],
            "filters": filters,
            "assignee_query": f"&assignee={filters.assignee_id()}" if filters.assignee_id() else "",
        },
        status=status,
    )


@login_required
@require_POST
@refusal_as_json
def task_reschedule(request: AuthedRequest, pk: int) -> HttpResponse:
    """Calendar drag and drop: POST `date` (YYYY-MM-DD); the due time keeps its hour."""
    task = _task_for(request, pk, change=True)
    try:
        day = date_param(request.POST.get("date"))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
    if day is None:
        return JsonResponse({"ok": False, "error": _("Nieprawidłowa data.")}, status=400)
    try:
        services.task_reschedule(task=task, day=day, actor=request.user)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
    due = timezone.localtime(task.due_at) if task.due_at else None
    return JsonResponse({"ok": True, "due_at": due.isoformat() if due else None})
