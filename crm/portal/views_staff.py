"""Staff side of the portal on the project card: sharing the project's files with the
customer and the discussion with the customer's portal users (crm/portal/cards.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.common.types import AuthedRequest
from crm.portal import discussion
from crm.portal.files import file_response
from crm.portal.forms import MessageForm
from crm.projects.models import Project
from crm.projects.selectors import project_change_check, project_may_change, projects_visible_to


def _project(request: AuthedRequest, pk: int) -> Project:
    return get_object_or_404(projects_visible_to(request.user).select_related("owner"), pk=pk)


def _back(project: Project, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("projects:project_detail", args=[project.pk]) + anchor)


def card_context(request: AuthedRequest, project: Project) -> dict[str, Any]:
    messages_list = list(discussion.project_messages(project).select_related("author")[:500])
    for item in messages_list:
        item.can_delete = discussion.message_staff_may_delete(request.user, item)  # type: ignore[attr-defined]
    return {
        "portal_files": list(discussion.project_files(project)[:200]),
        "messages_list": messages_list,
        "message_form": MessageForm(),
        "can_share": project_may_change(request.user, project),
    }


@login_required
@require_POST
def file_share(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    project = _project(request, pk)
    project_change_check(request.user, project)
    attachment = get_object_or_404(discussion.project_files(project), pk=attachment_pk)
    shared = request.POST.get("shared") == "1"
    discussion.file_share_set(attachment=attachment, shared=shared, actor=request.user)
    if shared:
        messages.success(request, _("Plik %(name)s jest widoczny dla klienta w portalu.") % {"name": attachment.name})
    else:
        messages.success(request, _("Plik %(name)s nie jest już widoczny dla klienta.") % {"name": attachment.name})
    return _back(project, "#portal-files")


@login_required
@require_POST
def message_post(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            discussion.message_post(
                project=project, body=form.cleaned_data["body"], author=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("Wiadomość wysłana do klienta."))
    else:
        for field_errors in form.errors.values():
            for field_error in field_errors:
                messages.error(request, str(field_error))
    return _back(project, "#portal-discussion")


@login_required
@require_GET
def message_file(request: AuthedRequest, pk: int, message_pk: int) -> HttpResponse:
    project = _project(request, pk)
    item = get_object_or_404(discussion.project_messages(project).exclude(file=""), pk=message_pk)
    return file_response(item.file, item.file_name)


@login_required
@require_POST
def message_delete(request: AuthedRequest, pk: int, message_pk: int) -> HttpResponse:
    """The author or Szef deletes a message (a customer's: Szef only); 403 for anyone else."""
    project = _project(request, pk)
    item = get_object_or_404(discussion.project_messages(project), pk=message_pk)
    if not discussion.message_staff_may_delete(request.user, item) and not item.is_deleted:
        raise PermissionDenied(_("Wiadomość może usunąć jej autor albo Szef; wiadomość klienta tylko Szef."))
    try:
        discussion.message_delete(message=item, actor=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Wiadomość usunięta."))
    return _back(project, "#portal-discussion")
