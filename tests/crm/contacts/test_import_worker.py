"""The import through the pages with a real Celery worker: the job is queued from the
company's request and runs in that company's schema."""

from __future__ import annotations

import time

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.contacts.models import Customer, CustomerImport, ImportStatus
from tests.conftest import TenantClient

CSV = "Nazwa;E-mail;Miasto\nPierwsza Łódź;a@x.pl;Łódź\nDruga;b@x.pl;Kraków\n;bez@nazwy.pl;\n"


@pytest.fixture
def worker_media(settings):
    """The worker process reads files from the test settings' MEDIA_ROOT (one per test worker)."""
    from config.settings_test import MEDIA_ROOT

    settings.MEDIA_ROOT = MEDIA_ROOT
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.mark.usefixtures("celery_worker_process", "worker_media")
def test_import_runs_as_a_celery_job_in_the_company_schema(committed):
    company = committed.a
    with schema_context(company.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
    client = TenantClient(company).login_as(szef)
    upload = SimpleUploadedFile("klienci.csv", CSV.encode(), content_type="text/csv")
    assert client.post("/customers/import/", {"file": upload}).status_code == 302
    with schema_context(company.schema_name):
        job = CustomerImport.objects.get()
    started = client.post(
        f"/customers/import/{job.pk}/",
        {"action": "start", "duplicate_mode": "skip", "map_name": "0", "map_email": "1", "map_city": "2"},
    )
    assert started.status_code == 302

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        progress = client.get(f"/customers/import/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
        if "hx-trigger" not in progress:
            break
        time.sleep(0.3)
    with schema_context(company.schema_name):
        job.refresh_from_db()
        names = set(Customer.objects.values_list("name", flat=True))
    assert job.status == ImportStatus.DONE, job.failure
    assert (job.created_count, job.error_count) == (2, 1)
    assert names == {"Pierwsza Łódź", "Druga"}
    assert "Dodano: 2" in progress
