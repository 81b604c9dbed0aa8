"""CSV and XLSX import (upload, column mapping with preview, a Celery job with a progress bar)
and export of the filtered customer list to CSV / XLSX.

The import views serve every record type with an importer (crm/contacts/importers.py):
the URL configuration passes `record_type` ("customer" here, "lead" in crm/leads/urls.py)."""

from __future__ import annotations

import csv
import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.accounts.access import CustomerAction, customers_action_check, is_szef, sees_everything
from crm.activity.services import activity_export_record
from crm.common.errors import form_apply_error
from crm.common.exports import csv_response
from crm.common.params import is_int_text
from crm.common.policy import allowed_when_locked
from crm.common.types import AuthedRequest
from crm.contacts.exports import customer_export_csv, customer_export_xlsx
from crm.contacts.forms import ImportUploadForm
from crm.contacts.importers import RecordImporter, importer_for
from crm.contacts.imports import (
    ImportFileError,
    import_job_problem,
    import_prepare,
    import_preview,
    import_report_table,
    import_start,
    job_header,
    job_report,
    mapping_clean,
)
from crm.contacts.models import CustomerImport, DuplicateMode, ImportStatus
from crm.contacts.selectors import CustomerFilters, customer_list

logger = logging.getLogger(__name__)
REPORT_ON_PAGE = 200


def _importer(request: AuthedRequest, record_type: str) -> RecordImporter:
    importer = importer_for(record_type)
    importer.may_import(request.user)
    return importer


def _job_for(request: AuthedRequest, pk: int, importer: RecordImporter) -> CustomerImport:
    jobs = CustomerImport.objects.filter(record_type=importer.key)
    if not is_szef(request.user):
        jobs = jobs.filter(created_by_id=request.user.pk)
    return get_object_or_404(jobs, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest, record_type: str = "customer") -> HttpResponse:
    importer = _importer(request, record_type)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_prepare(upload=form.cleaned_data["file"], user=request.user, importer=importer)
        except ImportFileError as exc:
            form_apply_error(form, exc, default="file")
        else:
            return redirect(importer.url_mapping, pk=job.pk)
    recent = CustomerImport.objects.filter(created_by_id=request.user.pk, record_type=importer.key)[:5]
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, "recent": recent, "importer": importer}
    return render(request, "contacts/import_upload.html", ctx, status=status)


def _mapping_from_post(request: AuthedRequest, job: CustomerImport, importer: RecordImporter) -> dict[str, int]:
    mapping: dict[str, int] = {}
    columns = len(job_header(job))
    for key, _label, _aliases in importer.fields():
        raw = request.POST.get(f"map_{key}", "")
        if is_int_text(raw) and int(raw) < columns:
            mapping[key] = int(raw)
    return mapping


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: AuthedRequest, pk: int, record_type: str = "customer") -> HttpResponse:
    importer = _importer(request, record_type)
    job = _job_for(request, pk, importer)
    if job.status != ImportStatus.UPLOADED:
        return redirect(importer.url_progress, pk=job.pk)
    problem = import_job_problem(job)
    if problem:  # stored before today's limits: no column list of unbounded size
        blocked = {"job": job, "errors": [problem], "blocked": True, "importer": importer}
        return render(request, "contacts/import_mapping.html", blocked)
    fields = importer.fields()
    mapping = mapping_clean(job.mapping, len(job_header(job)), importer.field_keys())
    mode = job.duplicate_mode if job.duplicate_mode in DuplicateMode.values else DuplicateMode.SKIP
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        mapping = _mapping_from_post(request, job, importer)
        mode = request.POST.get("duplicate_mode", DuplicateMode.SKIP)
        if mode not in DuplicateMode.values:
            errors.append(_("Wybierz, co zrobić z rekordami, które już są w CRM."))
            mode = DuplicateMode.SKIP
        if importer.required not in mapping:
            errors.append(str(importer.required_message))
        if errors:
            status = 400
        elif request.POST.get("action") == "start":
            import_start(job=job, mapping=mapping, duplicate_mode=mode, actor=request.user)
            return redirect(importer.url_progress, pk=job.pk)
    preview = []
    if not errors:
        try:
            preview = import_preview(job, mapping)
        except (ImportFileError, csv.Error) as exc:
            errors.append(str(exc))
    ctx: dict[str, Any] = {
        "job": job,
        "importer": importer,
        "fields": [(key, label, mapping.get(key)) for key, label, _a in fields],
        "columns": list(enumerate(job_header(job))),
        "mode": mode,
        "modes": DuplicateMode.choices,
        "errors": errors,
        "preview": preview,
        "preview_keys": [key for key, _l, _a in fields if key in mapping],
    }
    return render(request, "contacts/import_mapping.html", ctx, status=status)


@login_required
@require_GET
def import_progress(request: AuthedRequest, pk: int, record_type: str = "customer") -> HttpResponse:
    importer = _importer(request, record_type)
    job = _job_for(request, pk, importer)
    report = job_report(job)
    ctx = {
        "job": job,
        "importer": importer,
        "report": report[:REPORT_ON_PAGE],
        "report_more": len(report) > REPORT_ON_PAGE,
    }
    if request.htmx:
        return render(request, "contacts/_import_progress.html", ctx)
    return render(request, "contacts/import_progress.html", ctx)


@login_required
@require_GET
def import_report(request: AuthedRequest, pk: int, record_type: str = "customer") -> HttpResponseBase:
    job = _job_for(request, pk, _importer(request, record_type))
    header, rows = import_report_table(job)
    return csv_response(filename=f"import-{job.pk}-raport.csv", header=header, rows=rows)


@allowed_when_locked
@login_required
@require_GET
def customer_export(request: AuthedRequest) -> HttpResponseBase:
    customers_action_check(request.user, CustomerAction.EXPORT)
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
