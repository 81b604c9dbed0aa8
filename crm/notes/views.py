"""Notes and files panels (htmx endpoints) for customers, deals, tasks, offers and invoices.

Every view resolves the record through the visibility selectors (404 for another
company's id or a record the user may not see). htmx requests get the refreshed
section back; plain form posts are redirected to `next` (or the record's page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from crm.accounts.access import may_change_owned
from crm.common.types import AuthedRequest
from crm.common.uploads import max_upload_bytes
from crm.notes import services
from crm.notes.forms import AttachmentForm, NoteForm
from crm.notes.models import Attachment, Note, NoteKind
from crm.notes.selectors import PANEL_ALL, PANEL_LIMIT, attachments_for, note_history, notes_for
from crm.notes.targets import target_get, target_kind_of

DETAIL_URLS = {
    "customer": "contacts:customer_detail",
    "deal": "sales:deal_detail",
    "task": "tasks:task_detail",
    "offer": "offers:offer_detail",
    "invoice": "invoicing:invoice_detail",
    "contract": "contracts:contract_detail",
    "ticket": "tickets:ticket_detail",
    "project": "projects:project_detail",
    "lead": "leads:lead_detail",
}


def section_context(request: AuthedRequest, target: Model, section: str, **extra: Any) -> dict[str, Any]:
    """Context of the notes or files section of `target` (the newest PANEL_LIMIT rows,
    or up to PANEL_ALL with ?all=1)."""
    kind = target_kind_of(target)
    htmx = getattr(request, "htmx", None)
    next_url = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
    ctx: dict[str, Any] = {
        "target": target,
        "kind": kind,
        "dom_id": f"{section}-{kind}-{target.pk}",
        "next_url": next_url,
        "max_size": max_upload_bytes(),
    }
    limit = PANEL_ALL if request.GET.get("all") == "1" else PANEL_LIMIT
    if section == "notes":
        rows: list[Any] = notes_for(target=target, user=request.user, limit=limit + 1)
        ctx["form"] = extra.pop("form", None) or NoteForm()
    else:
        rows = attachments_for(target=target, user=request.user, limit=limit + 1)
        ctx["form"] = extra.pop("form", None) or AttachmentForm()
    ctx["notes" if section == "notes" else "attachments"] = rows[:limit]
    ctx["more"] = len(rows) > limit
    ctx.update(extra)
    return ctx


def _section(request: AuthedRequest, target: Model, section: str, status: int = 200, **extra: Any) -> HttpResponse:
    template = "notes/_notes_section.html" if section == "notes" else "notes/_files_section.html"
    return render(request, template, section_context(request, target, section, **extra), status=status)


def _back(request: AuthedRequest, target: Model) -> HttpResponseRedirect:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(nxt)
    try:
        return HttpResponseRedirect(reverse(DETAIL_URLS[target_kind_of(target)], args=[target.pk]))
    except NoReverseMatch:
        return HttpResponseRedirect("/")


def _done(request: AuthedRequest, target: Model, section: str) -> HttpResponse:
    if request.htmx:
        return _section(request, target, section)
    return _back(request, target)


def _invalid(request: AuthedRequest, target: Model, section: str, form: Any) -> HttpResponse:
    if request.htmx:
        return _section(request, target, section, status=422, form=form)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _back(request, target)


def _note_of(request: AuthedRequest, pk: int) -> tuple[Note, Model]:
    note = get_object_or_404(Note, pk=pk)
    target = target_get(user=request.user, kind=note.target_kind, pk=note.target_id)
    return note, target


def _attachment_of(request: AuthedRequest, pk: int) -> tuple[Attachment, Model]:
    attachment = get_object_or_404(Attachment, pk=pk)
    target = target_get(user=request.user, kind=attachment.target_kind, pk=attachment.target_id)
    return attachment, target


@login_required
@require_GET
def panel(request: AuthedRequest, kind: str, pk: int, section: str) -> HttpResponse:
    target = target_get(user=request.user, kind=kind, pk=pk)
    return _section(request, target, section)


@login_required
@require_POST
def note_create(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    target = target_get(user=request.user, kind=kind, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, target, "notes", form)
    try:
        services.note_create(
            target=target,
            author=request.user,
            body=form.cleaned_data["body"],
            kind=form.cleaned_data.get("kind") or NoteKind.NOTE,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _invalid(request, target, "notes", form)
    return _done(request, target, "notes")


@login_required
def note_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    note, target = _note_of(request, pk)
    if not may_change_owned(request.user, note.author_id):
        raise PermissionDenied
    form = NoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.note_update(note=note, editor=request.user, body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _done(request, target, "notes")
        status = 422
    else:
        status = 200
    template = "notes/_note_edit.html" if request.htmx else "notes/note_edit.html"
    ctx = {"note": note, "form": form, "target": target, "kind": target_kind_of(target)}
    response = render(request, template, ctx, status=status)
    if request.htmx and status == 422:
        # The form posts for the whole notes section; with errors only the note's form comes back.
        reswap(retarget(response, f"#note-{note.pk}"), "outerHTML")
    return response


@login_required
@require_GET
def note_history_view(request: AuthedRequest, pk: int) -> HttpResponse:
    note, target = _note_of(request, pk)
    template = "notes/_note_history.html" if request.htmx else "notes/note_history.html"
    ctx = {"note": note, "revisions": note_history(note=note), "target": target, "kind": target_kind_of(target)}
    return render(request, template, ctx)


@login_required
@require_POST
def note_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    note, target = _note_of(request, pk)
    if not may_change_owned(request.user, note.author_id):
        raise PermissionDenied
    services.note_delete(note=note, actor=request.user)
    return _done(request, target, "notes")


@login_required
@require_POST
def file_upload(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    target = target_get(user=request.user, kind=kind, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, target, "files", form)
    try:
        services.attachment_create(target=target, uploaded_by=request.user, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return _invalid(request, target, "files", form)
    return _done(request, target, "files")


@login_required
@require_GET
def file_download(request: AuthedRequest, pk: int) -> FileResponse:
    attachment, _target = _attachment_of(request, pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    inline = request.GET.get("inline") == "1" and attachment.content_type in (
        "application/pdf",
        "image/png",
        "image/jpeg",
    )
    response = FileResponse(
        handle, as_attachment=not inline, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def file_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment, target = _attachment_of(request, pk)
    if not may_change_owned(request.user, attachment.uploaded_by_id):
        raise PermissionDenied
    services.attachment_delete(attachment=attachment, actor=request.user)
    return _done(request, target, "files")
