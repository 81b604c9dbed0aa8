"""The operator's view of one company's storage, and ANALYZE / VACUUM of its schema:
shown on the company page, run in the background, audited; nobody else may."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import Client
from django_tenants.utils import schema_context

from billing_saas import maintenance
from billing_saas.models import OperatorAction, OperatorAuditEntry
from billing_saas.tasks import schema_maintenance
from crm.activity.models import ActivityEntry, ActivityKind
from tests.billing_saas.conftest import operator_create, operator_sign_in


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # django-tenants' storage caches MEDIA_ROOT: forget it before and after (the files are
    # counted through the storage).
    settings.MEDIA_ROOT = str(tmp_path)
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def inline_jobs(monkeypatch):
    """The Celery job runs right after the commit hook, here."""
    monkeypatch.setattr(
        maintenance,
        "_maintenance_queue",
        lambda company_id, mode, requested_by: maintenance.schema_maintenance_run(
            company_id=company_id, mode=mode, requested_by=requested_by
        ),
    )


def _audit(company, action):
    return list(OperatorAuditEntry.objects.filter(company=company, action=action).order_by("id"))


def test_company_page_shows_schema_size_rows_files_backup_and_last_activity(operator_client, company_a, tmp_path):
    folder = Path(tmp_path) / company_a.schema_name / "notes"
    folder.mkdir(parents=True)
    (folder / "umowa.pdf").write_bytes(b"x" * 3000)
    with schema_context(company_a.schema_name):
        ActivityEntry.objects.create(kind=ActivityKind.OTHER, message="coś")
    html = operator_client.get(f"/operator/companies/{company_a.pk}/").content.decode()
    size = html.split('data-testid="schema-size">')[1].split("</dd>")[0]
    assert "tabel" in size and "0 bajtów" not in size and "0\xa0bajtów" not in size
    assert "Wiersze (szacunkowo)" in html and 'data-testid="rows-estimate">≈' in html
    files = html.split('data-testid="file-size">')[1].split("</dd>")[0]
    assert "2,9" in files or "2.9" in files
    assert "1 plik" in files
    assert 'data-testid="last-backup">—<' in html
    assert 'data-testid="last-activity-entry">—<' not in html


def test_storage_figures_come_from_the_company_schema(company_a):
    stats = maintenance.company_storage(company_a)
    assert stats is not None
    assert stats.tables > 50 and stats.schema_bytes > 0 and stats.rows_estimate >= 0
    assert stats.last_backup is None


def test_analyze_is_audited_with_the_reason_and_its_outcome(
    operator_client, operator, company_a, inline_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            f"/operator/companies/{company_a.pk}/analyze/", {"reason": "Wolne zapytania po imporcie"}
        )
    assert response.status_code == 302
    [requested] = _audit(company_a, OperatorAction.SCHEMA_ANALYZE)
    assert requested.operator_email == operator[0].email and requested.reason == "Wolne zapytania po imporcie"
    [done] = _audit(company_a, OperatorAction.SCHEMA_MAINTENANCE_DONE)
    assert done.details["mode"] == "analyze" and done.details["tables"] > 50 and done.details["failed"] == {}
    assert done.details["requested_by"] == operator[0].email
    page = operator_client.get(f"/operator/companies/{company_a.pk}/").content.decode()
    assert "Wolne zapytania po imporcie" in page


def test_vacuum_runs_outside_a_transaction_block_table_by_table(
    operator_client, company_a, inline_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(f"/operator/companies/{company_a.pk}/vacuum/", {"reason": "Dużo usunięć"})
    assert response.status_code == 302
    assert len(_audit(company_a, OperatorAction.SCHEMA_VACUUM)) == 1
    [done] = _audit(company_a, OperatorAction.SCHEMA_MAINTENANCE_DONE)
    assert done.details["mode"] == "vacuum" and done.details["tables"] > 50 and done.details["failed"] == {}


def test_the_celery_job_runs_the_maintenance(company_a):
    result = schema_maintenance.apply(args=[company_a.pk, "analyze", "op@imcrm.test"], throw=True)
    assert result.get()["tables"] > 50
    assert _audit(company_a, OperatorAction.SCHEMA_MAINTENANCE_DONE)[0].details["requested_by"] == "op@imcrm.test"


def test_without_a_reason_nothing_runs(operator_client, company_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = operator_client.post(f"/operator/companies/{company_a.pk}/vacuum/", {"reason": ""})
    assert response.status_code == 400
    assert "Podaj powód" in response.content.decode()
    assert callbacks == [] and _audit(company_a, OperatorAction.SCHEMA_VACUUM) == []


def test_maintenance_is_post_only_and_needs_csrf(operator_client, company_a, operator):
    assert operator_client.get(f"/operator/companies/{company_a.pk}/analyze/").status_code == 405
    strict = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, enforce_csrf_checks=True, REMOTE_ADDR="10.9.9.9")
    strict.cookies = operator_client.cookies
    assert strict.post(f"/operator/companies/{company_a.pk}/analyze/", {"reason": "x"}).status_code == 403
    assert _audit(company_a, OperatorAction.SCHEMA_ANALYZE) == []


def test_an_unknown_company_is_a_404(operator_client):
    assert operator_client.post("/operator/companies/987654/analyze/", {"reason": "x"}).status_code == 404


def test_a_non_operator_and_an_anonymous_visitor_are_refused(public_ip_client, company_a):
    anonymous = public_ip_client.post(f"/operator/companies/{company_a.pk}/vacuum/", {"reason": "x"})
    assert anonymous.status_code == 302 and "/operator/accounts/login/" in anonymous["Location"]
    user, secret = operator_create(is_staff=False)
    operator_sign_in(public_ip_client, user, secret)
    assert public_ip_client.post(f"/operator/companies/{company_a.pk}/vacuum/", {"reason": "x"}).status_code == 403
    assert public_ip_client.get(f"/operator/companies/{company_a.pk}/").status_code == 403
    assert _audit(company_a, OperatorAction.SCHEMA_VACUUM) == []


def test_company_staff_cannot_reach_it(client_a, szef, company_a):
    client_a.login_as(szef)
    assert client_a.get(f"/operator/companies/{company_a.pk}/").status_code == 404
    assert client_a.post(f"/operator/companies/{company_a.pk}/analyze/", {"reason": "x"}).status_code == 404
    public = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN)
    public.cookies = client_a.cookies
    response = public.post(f"/operator/companies/{company_a.pk}/analyze/", {"reason": "x"})
    assert response.status_code == 302 and "/operator/accounts/login/" in response["Location"]
    assert _audit(company_a, OperatorAction.SCHEMA_ANALYZE) == []
