"""Uploaded files in S3-compatible object storage (STORAGE_BACKEND=s3): a local moto
server started by the test stands in for the bucket (tests/support/fake_s3.py)."""

from __future__ import annotations

import httpx
import pytest
from django_tenants.utils import schema_context

from crm.notes.models import Attachment
from tests.crm.notes.test_files import PDF, upload
from tests.support.fake_s3 import BUCKET, s3_storage  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_an_upload_is_stored_under_the_company_prefix_and_downloaded_through_the_view(
    s3_storage,  # noqa: F811
    client_a,
    szef,
    customer,
    company_a,
    media,
):
    client_a.login_as(szef)
    assert upload(client_a, "customer", customer.pk, "Umowa.pdf", PDF).status_code == 200
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
    keys = s3_storage.object_keys()
    assert keys == [f"{company_a.schema_name}/{item.file.name}"]
    assert s3_storage.read(keys[0]) == PDF
    assert not media.exists() or not any(media.rglob("*.pdf"))  # nothing on the web node's disk

    download = client_a.get(f"/notes/file/{item.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment;" in download["Content-Disposition"]


def test_objects_are_private_and_another_company_cannot_fetch_them(
    s3_storage,  # noqa: F811
    client_a,
    client_b,
    szef,
    outsider,
    customer,
    company_a,
):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "tajne.pdf", PDF)
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
        signed = item.file.url
    (key,) = s3_storage.object_keys()
    # Straight at the storage, without credentials: refused.
    anonymous = httpx.get(f"{s3_storage.endpoint}/{BUCKET}/{key}")
    assert anonymous.status_code == 403
    acl = s3_storage.client.get_object_acl(Bucket=BUCKET, Key=key)
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])
    # A URL the app hands out is signed and short-lived.
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    # Another company's staff: the authorising view says 404.
    client_b.login_as(outsider)
    assert client_b.get(f"/notes/file/{item.pk}/").status_code == 404


def test_deleting_the_file_removes_the_object(
    s3_storage,  # noqa: F811
    client_a,
    szef,
    customer,
    company_a,
    django_capture_on_commit_callbacks,
):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "usun.pdf", PDF)
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
    (original,) = s3_storage.object_keys()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(f"/notes/file/{item.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code in (200, 302)
    with schema_context(company_a.schema_name):
        assert not Attachment.objects.exists()
    # The object is gone; only the trash's copy (restorable for 30 days) is left, in the same company.
    (kept,) = s3_storage.object_keys()
    assert kept != original and kept.startswith(f"{company_a.schema_name}/trash/")
