"""Where uploaded files and company archives live, whichever backend stores them.

Development (the default) keeps them on the local disk: `MEDIA_ROOT/<schema>/...` per
company (django-tenants' `TenantFileSystemStorage`) and `MEDIA_ROOT/operator-exports/`
for the operator's archives. Production (`STORAGE_BACKEND=s3`, deploy/README.md) keeps the
same layout as keys in one private bucket of S3-compatible object storage: `<schema>/...`
per company and `operator-exports/...`, so no web node holds state of its own.

Every read goes through `storage.open()` in a view that checks who asks (files are never
public: objects are written with a private ACL, and `url()` only gives short-lived signed
URLs). Nothing here knows which backend is in use except `company_files_delete`, which
takes the fast way for each.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django_tenants.utils import schema_context
from storages.backends.s3 import S3Storage

from tenants.db import connection

EXPORTS_FOLDER = "operator-exports"


class TenantS3Storage(S3Storage):
    """S3 storage whose keys start with the active company's schema name (`c_acme/...`),
    like the folders of the filesystem storage; `AWS_LOCATION`, when set, goes in front."""

    _base = ""

    @property
    def location(self) -> str:
        schema = getattr(connection, "schema_name", "") or "public"
        return posixpath.join(self._base, schema) if self._base else schema

    @location.setter
    def location(self, value: str) -> None:
        self._base = (value or "").strip("/")


def _s3_default() -> TenantS3Storage | None:
    storage = storages["default"]
    return storage if isinstance(storage, TenantS3Storage) else None


def exports_storage() -> Storage:
    """The operator's company archives (backups before deletion, exports on request): one
    folder (or key prefix) of the service, outside every company's files."""
    s3 = _s3_default()
    if s3 is not None:
        return S3Storage(location=posixpath.join(s3._base, EXPORTS_FOLDER) if s3._base else EXPORTS_FOLDER)
    return FileSystemStorage(location=str(Path(settings.MEDIA_ROOT) / EXPORTS_FOLDER))


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    dirs, files = storage.listdir(folder)
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(dirs):
        yield from _walk(storage, posixpath.join(folder, name) if folder else name)


def company_files(schema_name: str) -> list[str]:
    """Names of every stored file of one company (relative to its folder / prefix)."""
    with schema_context(schema_name):
        try:
            return list(_walk(default_storage, ""))
        except FileNotFoundError:
            return []


def company_files_size(schema_name: str) -> tuple[int, int]:
    """Bytes and number of one company's stored files (a listing; the operator's figures)."""
    total = count = 0
    with schema_context(schema_name):
        for name in company_files(schema_name):
            try:
                total += default_storage.size(name)
            except OSError:
                continue
            count += 1
    return total, count


def company_file_read(schema_name: str, name: str) -> bytes:
    with schema_context(schema_name), default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def company_files_delete(schema_name: str) -> None:
    """Remove every stored file of a company (its folder, or every key under its prefix)."""
    with schema_context(schema_name):
        s3 = _s3_default()
        if s3 is not None:
            prefix = s3.location.rstrip("/") + "/"
            s3.bucket.objects.filter(Prefix=prefix).delete()
            return
        location = getattr(default_storage, "location", None)
        if location:
            shutil.rmtree(location, ignore_errors=True)
            return
        for name in _walk(default_storage, ""):
            default_storage.delete(name)
