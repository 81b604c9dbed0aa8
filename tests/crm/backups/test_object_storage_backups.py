"""Backups where the company's files live in S3-compatible object storage
(STORAGE_BACKEND=s3, a local moto server: tests/support/fake_s3.py): the archive carries
the files from the bucket, the encrypted archive is stored in the bucket (any web node
can serve or restore it), and a restore puts the files back there. Nothing lands on the
node's own disk."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.backups.models import Backup, BackupStatus
from crm.backups.services import backup_run
from crm.contacts.models import Customer
from crm.notes.models import Attachment
from crm.notes.services import attachment_create
from tenants.models import Company
from tests.support.clients import TenantClient
from tests.support.fake_s3 import FakeS3, s3_storage  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CONTRACT = b"%PDF-1.4 umowa w chmurze " * 50


def _file_stored(company: Company, szef: User) -> Attachment:
    with schema_context(company.schema_name):
        customer = Customer.objects.create(name="Klient z plikiem")
        return attachment_create(
            target=customer, uploaded_by=szef, upload=SimpleUploadedFile("umowa.pdf", CONTRACT, "application/pdf")
        )


def _backup(company: Company) -> Backup:
    with schema_context(company.schema_name):
        return backup_run(backup=Backup.objects.create())


def test_backup_in_object_storage_carries_the_files_and_is_stored_in_the_bucket(
    s3_storage: FakeS3,  # noqa: F811
    client_a: TenantClient,
    szef: User,
    company_a: Company,
    settings: Any,
    tmp_path: Path,
) -> None:
    item = _file_stored(company_a, szef)
    backup = _backup(company_a)
    assert backup.status == BackupStatus.DONE, backup.error

    prefix = f"{company_a.schema_name}/"
    keys = s3_storage.object_keys()
    assert f"{prefix}{item.file.name}" in keys
    (stored,) = [k for k in keys if k.startswith(f"{prefix}backups/")]
    raw = s3_storage.read(stored)
    assert backup.size == len(raw) and not zipfile.is_zipfile(io.BytesIO(raw))  # encrypted at rest
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.enc"))  # nothing on the web node's disk

    response = client_a.login_as(szef).get(f"/settings/backups/{backup.pk}/download/")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.read(f"files/{item.file.name}") == CONTRACT
        members = json.loads(archive.read("manifest.json"))["members"]
    assert not [name for name in members if name.startswith("files/backups/")]  # archives never nest


def test_restore_over_own_company_puts_the_files_back_into_the_bucket(
    s3_storage: FakeS3,  # noqa: F811
    client_a: TenantClient,
    szef: User,
    company_a: Company,
) -> None:
    item = _file_stored(company_a, szef)
    backup = _backup(company_a)
    with schema_context(company_a.schema_name):
        default_storage.delete(item.file.name)  # lost after the backup
        default_storage.save("po-kopii.txt", ContentFile(b"dodane po kopii"))

    done = client_a.login_as(szef).post(f"/settings/backups/{backup.pk}/restore/", {"confirmation": company_a.name})
    assert done.status_code == 302, done.content.decode()[-2000:]

    prefix = f"{company_a.schema_name}/"
    keys = s3_storage.object_keys()
    assert s3_storage.read(f"{prefix}{item.file.name}") == CONTRACT
    assert f"{prefix}po-kopii.txt" not in keys
    with schema_context(company_a.schema_name):
        kept = Backup.objects.filter(status=BackupStatus.DONE).count()
    assert len([k for k in keys if k.startswith(f"{prefix}backups/")]) == kept == 2  # the safety copy stays
    download = client_a.login_as(szef).get(f"/notes/file/{item.pk}/")  # the restore signed everyone out
    assert download.status_code == 200 and b"".join(download.streaming_content) == CONTRACT
