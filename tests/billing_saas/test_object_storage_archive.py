"""Company archives (backups before deletion) and the deletion of a company's files,
with STORAGE_BACKEND=s3 against a local moto server (tests/support/fake_s3.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tenants.utils import schema_context

from billing_saas import operator_services
from billing_saas.models import CompanyExport, DeletionSchedule
from tenants.services import tenant_provision
from tests.support.fake_s3 import s3_storage  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_deleting_a_company_archives_its_files_in_the_bucket_and_removes_its_objects(
    s3_storage,  # noqa: F811
    companies,
    company_a,
    operator_client,
):
    doomed = tenant_provision(
        name="Chmura Sp. z o.o.", subdomain="chmura", email="szef@chmura.test", password="Haslo-testowe-123"
    ).company
    with schema_context(doomed.schema_name):
        stored = default_storage.save("attachments/2026/12/umowa.pdf", ContentFile(b"%PDF umowa"))
    with schema_context(company_a.schema_name):
        kept = default_storage.save("attachments/2026/12/inna.pdf", ContentFile(b"%PDF inna"))
    assert f"c_chmura/{stored}" in s3_storage.object_keys()
    DeletionSchedule.objects.create(
        company=doomed,
        schema_name=doomed.schema_name,
        company_name=doomed.name,
        requested_by_email="op@imcrm.test",
        reason="test",
        delete_after=timezone.now() - timedelta(minutes=1),
    )

    assert operator_services.deletions_run() == 1

    keys = s3_storage.object_keys()
    assert not [key for key in keys if key.startswith("c_chmura/")]  # the company's objects are gone
    assert f"{company_a.schema_name}/{kept}" in keys  # another company's are not
    (archive_key,) = [key for key in keys if key.startswith("operator-exports/")]
    export = CompanyExport.objects.get(schema_name="c_chmura")
    assert archive_key == f"operator-exports/{export.file_name}"
    with zipfile.ZipFile(io.BytesIO(s3_storage.read(archive_key))) as archive:
        assert archive.read(f"files/{stored}") == b"%PDF umowa"
    download = operator_client.get(f"/operator/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == s3_storage.read(archive_key)
