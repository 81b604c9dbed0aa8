"""Reading an archive back: checking it (before anything changes) and loading it into
one company schema, all or nothing.

`archive_check` reads every member once: the manifest's format and version, then each
member's SHA-256, size and row count; an archive that fails any of them is refused with
a message for people (ArchiveError) and nothing has been touched. `archive_load` runs in
the caller's transaction and writes only to the target schema (every statement names it):
it empties the schema's tables (except its own bookkeeping), inserts the rows in chunks
through `json_populate_recordset`, with the tables' own triggers off (derived tables such
as the pipeline totals come from the archive as they were), and moves the sequences past
the restored ids. Files go to a staging folder first and replace the company's files only
after the database commit (`files_swap`).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from crm.backups.archive import (
    EXCLUDED_COLUMNS,
    FILES_DIR,
    FORMAT,
    KEPT_TABLES,
    MANIFEST,
    TABLES_DIR,
    VERSION,
    quote,
    schema_tables,
)
from crm.backups.storage import BACKUPS_FOLDER, company_files_replace, local_root
from crm.common.errors import AppError
from tenants.db import connection

INSERT_CHUNK = 2000


class ArchiveError(AppError):
    """The archive cannot be restored; the message says why, in the reader's language."""


def archive_check(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest, once every member matched it; ArchiveError otherwise."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise ArchiveError(_("To nie jest kopia zapasowa ImCRM: w archiwum brak pliku manifest.json.")) from exc
    except (ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(_("Kopia zapasowa jest uszkodzona: nie da się odczytać manifestu.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(_("To nie jest kopia zapasowa ImCRM (nieznany format archiwum)."))
    if manifest.get("version") != VERSION:
        raise ArchiveError(
            _("Ta kopia ma wersję formatu %(found)s, a ta instalacja ImCRM czyta tylko wersję %(version)s.")
            % {"found": manifest.get("version"), "version": VERSION}
        )
    members = manifest.get("members")
    if not isinstance(members, dict):
        raise ArchiveError(_("Kopia zapasowa jest uszkodzona: manifest nie wymienia zawartości."))
    present = {info.filename for info in archive.infolist() if not info.is_dir()} - {MANIFEST}
    if present != set(members):
        raise ArchiveError(_("Kopia zapasowa jest uszkodzona: zawartość archiwum nie zgadza się z manifestem."))
    for name, entry in members.items():
        _member_check(archive, name, entry)
    return manifest


def _member_check(archive: zipfile.ZipFile, name: str, entry: Any) -> None:
    damaged = ArchiveError(
        _("Kopia zapasowa jest uszkodzona: plik %(name)s nie zgadza się z sumą kontrolną.") % {"name": name}
    )
    if not isinstance(entry, dict) or not _safe_name(name):
        raise damaged
    digest, size, lines = hashlib.sha256(), 0, 0
    try:
        with archive.open(name) as stream:
            while block := stream.read(1024 * 1024):
                digest.update(block)
                size += len(block)
                lines += block.count(b"\n")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise damaged from exc
    if digest.hexdigest() != entry.get("sha256") or size != entry.get("bytes"):
        raise damaged
    if entry.get("kind") == "table" and (
        lines != entry.get("rows") or name != f"{TABLES_DIR}{entry.get('table')}.jsonl"
    ):
        raise damaged


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name.startswith(FILES_DIR) or (name.startswith(TABLES_DIR) and len(path.parts) == 2))
    )


def archive_fits(manifest: dict[str, Any], *, schema: str) -> None:
    """Every archived table and column exists in `schema` (same ImCRM version or newer)."""
    target = {t.name: set(t.columns) for t in schema_tables(schema)}
    for entry in manifest["members"].values():
        if entry.get("kind") != "table":
            continue
        columns = target.get(entry["table"])
        if columns is None or not set(entry.get("columns", [])) <= columns:
            raise ArchiveError(
                _("Tej kopii nie da się odtworzyć w tej wersji ImCRM: tabela %(table)s ma inną budowę.")
                % {"table": entry["table"]}
            )


def archive_load(
    archive: zipfile.ZipFile, manifest: dict[str, Any], *, schema: str, keep_passwords: bool
) -> dict[str, int]:
    """Replace every row of `schema` with the archive's; call inside transaction.atomic().
    `keep_passwords` keeps the current password hashes of staff found by e-mail (restoring
    over one's own company); otherwise passwords are unusable until set again."""
    archive_fits(manifest, schema=schema)
    s = quote(schema)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks still pending in this transaction first
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if keep_passwords:
            cursor.execute(
                f"CREATE TEMP TABLE imcrm_kept_passwords ON COMMIT DROP AS SELECT email, password FROM {s}.accounts_user"  # noqa: S608 (catalog names, quoted)
            )
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        emptied = [row[0] for row in cursor.fetchall() if row[0] not in KEPT_TABLES]
        if emptied:
            cursor.execute("TRUNCATE " + ", ".join(f"{s}.{quote(t)}" for t in emptied))
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal",
            [schema],
        )
        triggered = [row[0] for row in cursor.fetchall()]
        for table in triggered:
            cursor.execute(f"ALTER TABLE {s}.{quote(table)} DISABLE TRIGGER USER")
        for name, entry in manifest["members"].items():
            if entry.get("kind") == "table":
                counts[entry["table"]] = _table_load(cursor, archive, name, entry, schema=schema)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign keys are checked here
        for table in triggered:
            cursor.execute(f"ALTER TABLE {s}.{quote(table)} ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _sequences_reset(cursor, schema)
        if keep_passwords:
            cursor.execute(
                f"UPDATE {s}.accounts_user u SET password = k.password FROM imcrm_kept_passwords k"  # noqa: S608 (catalog names, quoted)
                " WHERE lower(u.email) = lower(k.email)"
            )
    return counts


def _table_load(cursor: Any, archive: zipfile.ZipFile, name: str, entry: dict[str, Any], *, schema: str) -> int:
    table = f"{quote(schema)}.{quote(entry['table'])}"
    filled = EXCLUDED_COLUMNS.get(entry["table"], {})
    columns = [quote(c) for c in entry["columns"]] + [quote(c) for c in filled]
    values = [quote(c) for c in entry["columns"]] + list(filled.values())
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608 (catalog names)
        f" FROM json_populate_recordset(NULL::{table}, %s::json)"
    )
    loaded = 0
    for chunk in _chunks(archive, name):
        cursor.execute(sql, ["[" + ",".join(chunk) + "]"])
        loaded += len(chunk)
    return loaded


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[list[str]]:
    chunk: list[str] = []
    with archive.open(name) as stream:
        for raw in stream:
            line = raw.decode().strip()
            if line:
                chunk.append(line)
            if len(chunk) >= INSERT_CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _sequences_reset(cursor: Any, schema: str) -> None:
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s"
        " AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')",
        [schema],
    )
    for table, column in cursor.fetchall():
        qualified = f"{quote(schema)}.{quote(table)}"
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({quote(column)}), 1), max({quote(column)}) IS NOT NULL)"  # noqa: S608 (catalog names, quoted)
            f" FROM {qualified}",
            [qualified, column],
        )


def files_stage(archive: zipfile.ZipFile, manifest: dict[str, Any], *, schema: str) -> Path:
    """Unpack the archive's files into a new local staging folder: under MEDIA_ROOT when
    the company's files are on the local disk (moved into place in one go), else in the
    temporary folder (uploaded from there)."""
    if local_root(schema) is not None:
        staging = Path(settings.MEDIA_ROOT) / f".restore-{secrets.token_hex(8)}"
        staging.mkdir(parents=True)
    else:
        staging = Path(tempfile.mkdtemp(prefix="imcrm-restore-"))
    for name, entry in manifest["members"].items():
        if entry.get("kind") != "file":
            continue
        target = staging / PurePosixPath(name[len(FILES_DIR) :])
        if PurePosixPath(name[len(FILES_DIR) :]).parts[0] == BACKUPS_FOLDER:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(name) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    return staging


def files_swap(staging: Path, *, schema: str) -> None:
    """The company's files become the staged ones; its stored backups stay."""
    company_files_replace(staging, schema=schema)
