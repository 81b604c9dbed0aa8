"""CSV import (upload, column mapping with preview, a Celery job with a progress bar)
and export of the filtered customer list to CSV / XLSX."""

from __future__ import annotations

import csv
import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.accounts.access import is_szef, sees_everything
from crm.activity.services import activity_export_record
from crm.common.errors import form_apply_error
from crm.common.exports import csv_response
from crm.common.params import is_int_text
from crm.contacts.exports import customer_export_csv, customer_export_xlsx
from crm.contacts.forms import ImportUploadForm
from crm.contacts.imports import (
    IMPORT_FIELDS,
    ImportFileError,
    import_job_problem,
    import_prepare,
    import_preview,
    import_report_table,
    job_header,
    job_report,
    mapping_clean,
)
from crm.contacts.models import CustomerImport, DuplicateMode, ImportStatus
from crm.contacts.selectors import CustomerFilters, customer_list

logger = logging.getLogger(__name__)
REPORT_ON_PAGE = 200


def _job_for(request: HttpRequest, pk: int) -> CustomerImport:
    jobs = CustomerImport.objects.all()
    if not is_szef(request.user):
        jobs = jobs.filter(created_by_id=request.user.pk)
    return get_object_or_404(jobs, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_prepare(upload=form.cleaned_data["file"], user=request.user)
        except ImportFileError as exc:
            form_apply_error(form, exc, default="file")
        else:
            return redirect("contacts:import_mapping", pk=job.pk)
    recent = CustomerImport.objects.filter(created_by_id=request.user.pk)[:5]
    status = 400 if request.method == "POST" else 200
    return render(request, "contacts/import_upload.html", {"form": form, "recent": recent}, status=status)


def _mapping_from_post(request: HttpRequest, job: CustomerImport) -> dict[str, int]:
    mapping: dict[str, int] = {}
    columns = len(job_header(job))
    for key, _label, _aliases in IMPORT_FIELDS:
        raw = request.POST.get(f"map_{key}", "")
        if is_int_text(raw) and int(raw) < columns:
            mapping[key] = int(raw)
    return mapping


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job.status != ImportStatus.UPLOADED:
        return redirect("contacts:import_progress", pk=job.pk)
    problem = import_job_problem(job)
    if problem:  # stored before today's limits: no column list of unbounded size
        return render(request, "contacts/import_mapping.html", {"job": job, "errors": [problem], "blocked": True})
    mapping = mapping_clean(job.mapping, len(job_header(job)))
    mode = job.duplicate_mode if job.duplicate_mode in DuplicateMode.values else DuplicateMode.SKIP
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        mapping = _mapping_from_post(request, job)
        mode = request.POST.get("duplicate_mode", DuplicateMode.SKIP)
        if mode not in DuplicateMode.values:
            errors.append(_("Wybierz, co zrobić z istniejącymi klientami."))
            mode = DuplicateMode.SKIP
        if "name" not in mapping:
            errors.append(_("Wskaż kolumnę z nazwą klienta — bez niej nie da się importować."))
        if errors:
            status = 400
        elif request.POST.get("action") == "start":
            job.mapping = mapping
            job.duplicate_mode = mode
            job.status = ImportStatus.QUEUED
            job.save(update_fields=["mapping", "duplicate_mode", "status"])
            transaction.on_commit(lambda: _enqueue(job.pk))
            return redirect("contacts:import_progress", pk=job.pk)
    preview = []
    if not errors:
        try:
            preview = import_preview(job, mapping)
        except (ImportFileError, csv.Error) as exc:
            errors.append(str(exc))
    ctx: dict[str, Any] = {
        "job": job,
        "fields": [(key, label, mapping.get(key)) for key, label, _a in IMPORT_FIELDS],
        "columns": list(enumerate(job_header(job))),
        "mode": mode,
        "modes": DuplicateMode.choices,
        "errors": errors,
        "preview": preview,
        "preview_keys": [key for key, _l, _a in IMPORT_FIELDS if key in mapping],
    }
    return render(request, "contacts/import_mapping.html", ctx, status=status)


def _enqueue(job_id: int) -> None:
    from crm.contacts.tasks import customer_import_run

    try:
        customer_import_run.delay(job_id)
    except Exception:  # broker down: say so on the progress page instead of waiting forever
        logger.exception("could not enqueue customer import %s", job_id)
        CustomerImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            failure=_("Nie udało się uruchomić importu (kolejka zadań jest niedostępna). Spróbuj ponownie za chwilę."),
            finished_at=timezone.now(),
        )


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    report = job_report(job)
    ctx = {"job": job, "report": report[:REPORT_ON_PAGE], "report_more": len(report) > REPORT_ON_PAGE}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "contacts/_import_progress.html", ctx)
    return render(request, "contacts/import_progress.html", ctx)


@login_required
@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job_for(request, pk)
    header, rows = import_report_table(job)
    return csv_response(filename=f"import-{job.pk}-raport.csv", header=header, rows=rows)


@login_required
@require_GET
def customer_export(request: HttpRequest) -> HttpResponseBase:
    everything = sees_everything(request.user)
    filters = CustomerFilters.from_query(request.GET)
    qs = customer_list(user=request.user, filters=filters, everything=everything)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    chosen = {key: ",".join(request.GET.getlist(key)) for key in request.GET if key not in ("format", "page")}
    activity_export_record(
        actor=request.user, what="customers", file_format=file_format, rows=qs.count(), filters=chosen
    )
    if file_format == "xlsx":
        return customer_export_xlsx(qs, filename=f"klienci-{stamp}.xlsx")
    return customer_export_csv(qs, filename=f"klienci-{stamp}.csv")
