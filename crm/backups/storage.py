"""Where stored backups live: `backups/` among the company's files, encrypted
(crm.backups.crypto), in whichever storage holds the files (tenants/storage.py): the
local disk (MEDIA_ROOT/<schema>/backups/) or the object storage (`<schema>/backups/...`),
so a backup made by one worker can be downloaded or restored through any web node.

The company's own files are read and written here too, for the archive and the restore:
only the restore stages files in a local folder first.
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from crm.backups.crypto import decrypted_chunks
from crm.backups.models import Backup
from tenants import storage as company_storage

SUFFIX = ".imcrm-backup.enc"
BACKUPS_FOLDER = "backups"  # stored archives, left out of the archives themselves
COPY_CHUNK = 1024 * 1024


def local_root(schema: str) -> Path | None:
    """The company's folder when its files are on the local disk, else None (object storage)."""
    with schema_context(schema):
        try:
            return Path(default_storage.path(""))
        except NotImplementedError:
            return None


def _stored_name(file_name: str) -> str:
    return posixpath.join(BACKUPS_FOLDER, PurePosixPath(file_name).name)


# --- the company's own files (what an archive carries) ---------------------------------


def company_file_names(schema: str) -> list[str]:
    """Names of the company's uploaded files, relative to its folder; stored backups left out
    (and, on the local disk, anything that is not a regular file)."""
    root = local_root(schema)
    names = []
    for name in company_storage.company_files(schema):
        if PurePosixPath(name).parts[0] == BACKUPS_FOLDER:
            continue
        if root is not None and ((root / name).is_symlink() or not (root / name).is_file()):
            continue
        names.append(name)
    return names


@contextmanager
def company_file_open(schema: str, name: str) -> Iterator[IO[bytes]]:
    with schema_context(schema), default_storage.open(name, "rb") as handle:
        yield handle


def company_files_replace(staging: Path, *, schema: str) -> None:
    """The company's files become the ones staged in the local folder `staging` (its
    stored backups stay); `staging` is removed. On the local disk whole folders are
    moved; in object storage the old objects are deleted and the new ones uploaded."""
    root = local_root(schema)
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
        for old in root.iterdir():
            if old.name == BACKUPS_FOLDER:
                continue
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
        for new in staging.iterdir():
            shutil.move(str(new), str(root / new.name))
        shutil.rmtree(staging, ignore_errors=True)
        return
    try:
        with schema_context(schema):
            for name in company_file_names(schema):
                default_storage.delete(name)
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    with path.open("rb") as source:
                        default_storage.save(path.relative_to(staging).as_posix(), File(source))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- stored (encrypted) backups --------------------------------------------------------


@contextmanager
def backup_file_write(file_name: str, *, schema: str) -> Iterator[IO[bytes]]:
    """A file to write the new stored archive `file_name` into; it is stored when the
    block ends without an error and leaves nothing behind otherwise."""
    name = _stored_name(file_name)
    root = local_root(schema)
    if root is not None:  # straight into place: no second copy of a large archive
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("wb") as raw:
                yield raw
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return
    with tempfile.TemporaryFile() as raw:
        yield raw
        raw.seek(0)
        with schema_context(schema):
            default_storage.save(name, File(raw))


def stored_size(file_name: str, *, schema: str) -> int:
    with schema_context(schema):
        return int(default_storage.size(_stored_name(file_name)))


def backup_stored(backup: Backup) -> bool:
    """The stored archive of `backup` (active company) exists."""
    return bool(backup.file_name) and default_storage.exists(_stored_name(backup.file_name))


def backup_open(backup: Backup) -> IO[bytes] | None:
    """The stored (encrypted) archive of `backup` in the active company, open, or None."""
    if not backup_stored(backup):
        return None
    try:
        return default_storage.open(_stored_name(backup.file_name), "rb")
    except FileNotFoundError:
        return None


def backup_plain_chunks(backup: Backup) -> Iterator[bytes]:
    """The archive decrypted, chunk by chunk (for a download). The file is opened now, in
    the active schema; the chunks are read later, while the response streams."""
    source = backup_open(backup)
    return _chunks(source) if source is not None else iter(())


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    with source:
        yield from decrypted_chunks(source)


def backup_file_remove(backup: Backup) -> None:
    if backup.file_name:
        default_storage.delete(_stored_name(backup.file_name))
