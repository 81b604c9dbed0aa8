"""Where stored backups live: MEDIA_ROOT/<schema>/backups/, encrypted (crm.backups.crypto)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from crm.backups.archive import BACKUPS_FOLDER, media_dir
from crm.backups.crypto import decrypted_chunks
from crm.backups.models import Backup
from tenants.db import connection

SUFFIX = ".imcrm-backup.enc"


def backups_dir(schema: str | None = None) -> Path:
    path = media_dir(schema or connection.schema_name) / BACKUPS_FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_path(backup: Backup) -> Path | None:
    """The stored (encrypted) archive of `backup` in the active company, or None."""
    if not backup.file_name:
        return None
    path = backups_dir() / Path(backup.file_name).name
    return path if path.is_file() else None


def backup_plain_chunks(backup: Backup) -> Iterator[bytes]:
    """The archive decrypted, chunk by chunk (for a download). The file is found now, in
    the active schema; the chunks are read later, while the response streams."""
    path = backup_path(backup)
    return _chunks(path) if path is not None else iter(())


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        yield from decrypted_chunks(source)


def backup_file_remove(backup: Backup) -> None:
    path = backup_path(backup)
    if path is not None:
        path.unlink(missing_ok=True)


def company_backups_remove(schema: str) -> None:
    """Every stored archive of a company (when the company is deleted)."""
    shutil.rmtree(media_dir(schema) / BACKUPS_FOLDER, ignore_errors=True)
