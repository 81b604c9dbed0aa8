"""Staff pages of projects: the list with filters, the form, the card (progress, milestones
with their tasks, the sections other apps register for host "project"), milestones
(add, edit, delete, reorder) and adding a task to the project or a milestone.

Every view reads projects through `projects_visible_to(user)`: another company's project
(or, for a Pracownik, one he is not on) is simply not found, 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.accounts.models import User
from crm.activity.services import activity_export_record
from crm.common.exports import csv_response
from crm.common.params import id_or_none, is_int_text
from crm.common.policy import allowed_when_locked
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.contacts.selectors import customers_visible_to
from crm.customfields.definitions import custom_fields_of
from crm.customfields.filters import custom_filters_page
from crm.customfields.values import custom_export_columns
from crm.projects import services
from crm.projects.forms import MilestoneForm, ProjectForm
from crm.projects.models import Milestone, Project, ProjectStatus
from crm.projects.records import PROJECT
from crm.projects.selectors import (
    progress_percent,
    project_change_check,
    project_may_add_tasks,
    project_may_change,
    projects_visible_to,
)
from crm.projects.selectors import (
    project_list as project_list_select,
)
from crm.tasks import services as task_services
from crm.tasks.models import Task
from crm.tasks.selectors import task_may_change, tasks_visible_to


def _project_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Project:
    projects = projects_visible_to(request.user).select_related("customer", "owner")
    project = get_object_or_404(projects, pk=pk)
    if change:
        project_change_check(request.user, project)
    return project


def _milestone_for(request: AuthedRequest, pk: int, milestone_pk: int) -> Milestone:
    project = _project_for(request, pk, change=True)
    return get_object_or_404(Milestone.objects.select_related("project"), pk=milestone_pk, project=project)


@login_required
@require_GET
def project_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ProjectStatus.values:
        status = ""
    customer_id = id_or_none(request.GET.get("customer"))
    member_id = id_or_none(request.GET.get("member"))
    query = request.GET.get("q", "")[:100]
    projects = project_list_select(
        user=request.user, query=query, status=status, customer_id=customer_id, member_id=member_id
    )
    projects = custom_filters_page(projects, fields=custom_fields_of("project"), params=request.GET)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    customers = customers_visible_to(request.user).filter(projects__isnull=False).distinct().order_by("name")
    ctx = {
        "page": page,
        "status": status,
        "customer_id": customer_id,
        "member_id": member_id,
        "q": query,
        "statuses": ProjectStatus.choices,
        "customers": list(customers[:500]),
        "staff": list(User.objects.filter(is_active=True).order_by("name", "email")),
    }
    return render(request, "projects/project_list.html", ctx)


@allowed_when_locked
@login_required
@require_GET
def project_export(request: AuthedRequest) -> HttpResponseBase:
    """The filtered list as CSV (the columns of the record type's export)."""
    status = request.GET.get("status", "")
    projects = project_list_select(
        user=request.user,
        query=request.GET.get("q", "")[:100],
        status=status if status in ProjectStatus.values else "",
        customer_id=id_or_none(request.GET.get("customer")),
        member_id=id_or_none(request.GET.get("member")),
    )
    chosen = {key: request.GET.get(key, "") for key in ("q", "status", "customer", "member")}
    activity_export_record(
        actor=request.user, what="projects", file_format="csv", rows=projects.count(), filters=chosen
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    custom_headers, custom_cells = custom_export_columns(custom_fields_of("project"))
    return csv_response(
        filename=f"projekty-{stamp}.csv",
        header=[*(label for _name, label in PROJECT.export_columns), *custom_headers],
        rows=([*_export_row(project), *custom_cells(project)] for project in projects.iterator(chunk_size=500)),
    )


def _export_row(project: Project) -> list[Any]:
    values = {
        "customer": project.customer.name,
        "status": project.get_status_display(),
        "billing_type": project.get_billing_type_display(),
        "owner": str(project.owner) if project.owner else "",
        "budget_hours": "" if project.budget_hours is None else project.budget_hours,
        "deadline": project.deadline or "",
    }
    return [values[name] if name in values else getattr(project, name) for name, _label in PROJECT.export_columns]


def _save(request: AuthedRequest, form: ProjectForm, project: Project | None) -> Project | None:
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in (*form.Meta.fields, "custom_fields")}
    members = list(form.cleaned_data.get("members") or [])
    try:
        if project is None:
            return services.project_create(actor=request.user, members=members, **data)
        return services.project_update(project=project, actor=request.user, members=members, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProjectForm(request.POST, user=request.user)
        if project := _save(request, form, None):
            messages.success(request, _("Zapisano projekt."))
            return redirect("projects:project_detail", pk=project.pk)
        return render(request, "projects/project_form.html", {"form": form, "project": None}, status=400)
    initial: dict[str, Any] = {
        "start_date": timezone.localdate(),
        "owner": request.user,
        "currency": "PLN",
        "members": [request.user.pk],
    }
    if "customer" in request.GET:
        customer = customers_visible_to(request.user).filter(pk=id_or_none(request.GET["customer"]) or 0).first()
        if customer is None:
            raise Http404
        initial["customer"] = customer
    form = ProjectForm(initial=initial, user=request.user)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _project_for(request, pk, change=True)
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=project, user=request.user)
        fresh = _project_for(request, pk, change=True)  # the form writes its data onto `project`
        if _save(request, form, fresh):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("projects:project_detail", pk=pk)
        return render(request, "projects/project_form.html", {"form": form, "project": fresh}, status=400)
    form = ProjectForm(instance=project, user=request.user)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
@require_GET
def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _project_for(request, pk)
    now = timezone.now()
    all_tasks = Task.objects.filter(project=project)
    total = all_tasks.count()
    done = all_tasks.filter(done=True).count()
    overdue = all_tasks.filter(done=False, due_at__lt=now).count()
    shown = (
        tasks_visible_to(request.user)
        .filter(project=project)
        .select_related("assignee")
        .order_by("done", "due_at", "id")
    )
    milestones = list(
        project.milestones.order_by("position", "id")
        .annotate(tasks_total=Count("tasks"), tasks_done=Count("tasks", filter=Q(tasks__done=True)))
        .prefetch_related(Prefetch("tasks", queryset=shown, to_attr="shown_tasks"))
    )
    loose_tasks = list(shown.filter(milestone__isnull=True))
    for task in [*loose_tasks, *(t for m in milestones for t in m.shown_tasks)]:
        task.can_toggle = task_may_change(request.user, task)  # type: ignore[attr-defined]
    today = timezone.localdate()
    for milestone in milestones:
        milestone.overdue = bool(  # type: ignore[attr-defined]
            milestone.due_date and milestone.due_date < today and milestone.tasks_done < milestone.tasks_total
        )
    ctx = {
        "project": project,
        "members": list(project.members.order_by("name", "email")),
        "can_change": project_may_change(request.user, project),
        "can_add_tasks": project_may_add_tasks(request.user, project),
        "tasks_total": total,
        "tasks_done": done,
        "tasks_overdue": overdue,
        "progress": progress_percent(done, total),
        "milestones": milestones,
        "loose_tasks": loose_tasks,
        "now": now,
        "project_overdue": bool(
            project.deadline and project.deadline < today and project.status not in ("finished", "cancelled")
        ),
        "milestone_form": MilestoneForm(),
        "sections": card_sections_render(request, "project", project, places=("main", "side")),
    }
    return render(request, "projects/project_detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _project_for(request, pk, change=True)
    if request.method == "POST":
        services.project_delete(project=project, actor=request.user)
        messages.success(request, _("Usunięto projekt."))
        return redirect("projects:project_list")
    return render(request, "projects/project_confirm_delete.html", {"project": project})


# --- milestones ---------------------------------------------------------------------


def _card(pk: int, anchor: str = "milestones") -> HttpResponse:
    return redirect(reverse("projects:project_detail", args=[pk]) + f"#{anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _project_for(request, pk, change=True)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_create(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Dodano kamień milowy."))
            return _card(pk)
    status = 400 if form.is_bound and form.errors else 200
    ctx = {"project": project, "form": form, "milestone": None}
    return render(request, "projects/milestone_form.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone = _milestone_for(request, pk, milestone_pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(milestone=milestone, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Zapisano zmiany."))
            return _card(pk)
    status = 400 if form.is_bound and form.errors else 200
    ctx = {"project": milestone.project, "form": form, "milestone": milestone}
    return render(request, "projects/milestone_form.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_delete(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone = _milestone_for(request, pk, milestone_pk)
    if request.method == "POST":
        services.milestone_delete(milestone=milestone, actor=request.user)
        messages.success(request, _("Usunięto kamień milowy; jego zadania zostały w projekcie."))
        return _card(pk)
    return render(
        request, "projects/milestone_confirm_delete.html", {"project": milestone.project, "milestone": milestone}
    )


@login_required
@require_POST
def milestone_move(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """POST `position` (1 = first) from drag and drop (`format=json`: a JSON answer), or
    `direction` up/down from the arrow buttons."""
    wants_json = request.POST.get("format") == "json"
    try:
        milestone = _milestone_for(request, pk, milestone_pk)
    except PermissionDenied as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": str(exc)}, status=403)
        raise
    ids = list(milestone.project.milestones.order_by("position", "id").values_list("pk", flat=True))
    current = ids.index(milestone.pk) + 1
    raw = str(request.POST.get("position") or "").strip()
    direction = request.POST.get("direction")
    if is_int_text(raw):
        position = int(raw)
    elif direction in ("up", "down"):
        position = current - 1 if direction == "up" else current + 1
    else:
        message = _("Podaj nowe miejsce kamienia milowego.")
        if wants_json:
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.error(request, message)
        return _card(pk)
    services.milestone_move(milestone=milestone, actor=request.user, position=max(position, 1))
    if wants_json:
        return JsonResponse({"ok": True})
    return _card(pk)


# --- tasks ----------------------------------------------------------------------------


@login_required
@require_POST
def task_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """A task with a title in the project (and one of its milestones), assigned to the
    person adding it; the rest is filled in on the task's own form."""
    project = _project_for(request, pk)
    if not project_may_add_tasks(request.user, project):
        raise PermissionDenied(_("Zadania w projekcie dodają jego członkowie, opiekun, Kierownik i Szef."))
    milestone = None
    raw_milestone = request.POST.get("milestone") or ""
    if raw_milestone:
        milestone = project.milestones.filter(pk=id_or_none(raw_milestone) or 0).first()
        if milestone is None:
            messages.error(request, _("Ten kamień milowy należy do innego projektu."))
            return _card(pk, "tasks")
    title = (request.POST.get("title") or "").strip()
    if not title:
        messages.error(request, _("Podaj tytuł zadania."))
        return _card(pk, f"milestone-{milestone.pk}" if milestone else "tasks")
    if len(title) > Task._meta.get_field("title").max_length:  # type: ignore[operator]
        messages.error(request, _("Tytuł zadania jest za długi."))
        return _card(pk, "tasks")
    try:
        task = task_services.task_create(actor=request.user, title=title, project=project, milestone=milestone)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _card(pk, "tasks")
    messages.success(request, _("Dodano zadanie „%(title)s”.") % {"title": task.title})
    return _card(pk, f"milestone-{milestone.pk}" if milestone else "tasks")
