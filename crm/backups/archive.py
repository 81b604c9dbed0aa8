"""The backup archive: writing it from a company schema and checking one before a restore.

Format (docs/backups.md): a zip holding `manifest.json` and, per table of the company's
schema, `tables/<table>.jsonl` (one JSON object per row, written by PostgreSQL's
`row_to_json`), plus the company's uploaded files under `files/`. The manifest gives the
format name and version, when and from which company it was made, and per member its
row count (tables), size and SHA-256, so the archive can be checked (and read) without
ImCRM. Secrets never leave: sessions, API tokens, 2FA keys, pending invitations and
e-mail confirmation keys are left out whole, password hashes and stored credentials as
columns (EXCLUDED_COLUMNS; a restore fills them with the value given there).

Everything streams: rows come from a server-side cursor in chunks inside one
REPEATABLE READ transaction (a consistent snapshot), and go straight into the zip.
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from crm.backups.storage import company_file_names, company_file_open
from tenants.db import connection

FORMAT = "imcrm-backup"
VERSION = 1
MANIFEST = "manifest.json"
TABLES_DIR = "tables/"
FILES_DIR = "files/"
FETCH = 5000

# Tables that are never in an archive and that a restore leaves alone (its own bookkeeping).
KEPT_TABLES = frozenset({"django_migrations", "backups_backup", "backups_backupschedule"})
# Tables with secrets or short-lived keys: not in the archive; a restore empties them.
EXCLUDED_TABLES = frozenset(
    {
        "django_session",
        "authtoken_token",
        "accounts_apitoken",
        "accounts_invitation",
        "account_emailconfirmation",
        "mfa_authenticator",
    }
)
# Secret columns: left out; on restore filled with this SQL expression.
EXCLUDED_COLUMNS: dict[str, dict[str, str]] = {
    "accounts_user": {"password": "'!'"},  # an unusable password: set a new one to sign in
    "crmsettings_companysettings": {"smtp_password_encrypted": "''", "ksef_token_encrypted": "''"},
    "tickets_ticketsettings": {"inbound_secret": "md5(random()::text) || md5(random()::text)"},
    # A portal user's 2FA key and recovery codes (crm/portal/twofa.py): after a restore the
    # contact signs in with the password alone and may switch 2FA on again.
    "portal_portalaccount": {"totp_secret": "''", "recovery_codes": "'[]'::jsonb"},
}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]  # stored columns in the archive (generated and secret ones left out)
    order_by: str  # the primary key column, or "" when the table has none


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def schema_tables(schema: str) -> list[Table]:
    """Every table of `schema` that an archive holds, with its archived columns."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
        names = [row[0] for row in cursor.fetchall() if row[0] not in KEPT_TABLES | EXCLUDED_TABLES]
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = %s AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position",
            [schema],
        )
        columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            if column not in EXCLUDED_COLUMNS.get(table, {}):
                columns.setdefault(table, []).append(column)
        cursor.execute(
            "SELECT tc.table_name, min(kcu.column_name) FROM information_schema.table_constraints tc"
            " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
            " AND kcu.table_schema = tc.table_schema"
            " WHERE tc.table_schema = %s AND tc.constraint_type = 'PRIMARY KEY' GROUP BY tc.table_name",
            [schema],
        )
        keys = dict(cursor.fetchall())
    return [Table(name=n, columns=columns.get(n, []), order_by=keys.get(n) or "") for n in names]


def model_labels() -> dict[str, str]:
    """Table name -> the Django model it stores ("contacts.Customer"), for readers of the manifest."""
    return {m._meta.db_table: m._meta.label for m in apps.get_models(include_auto_created=True)}


class _Member:
    """One zip member being written, with its checksum and size."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.stream: IO[bytes] = archive.open(name, "w", force_zip64=True)
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.stream.write(data)

    def close(self) -> dict[str, Any]:
        self.stream.close()
        return {"bytes": self.size, "sha256": self.digest.hexdigest()}


def archive_write(
    *, schema: str, company: dict[str, str], target: IO[bytes], progress: Progress | None = None
) -> dict[str, Any]:
    """Write the archive of `schema` into `target` (any writable file object, seekable
    or not); returns the manifest. `progress(done, total)` is called now and then."""
    labels = model_labels()
    members: dict[str, dict[str, Any]] = {}
    connection.set_schema_to_public()
    with (
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        transaction.atomic(),
    ):
        with connection.cursor() as cursor:
            if not connection.in_atomic_block or len(connection.atomic_blocks) == 1:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        tables = schema_tables(schema)
        counts = _counts(schema, tables)
        files = company_file_names(schema)
        total, done, last = sum(counts.values()) + len(files), 0, 0.0
        for table in tables:
            member = _Member(archive, f"{TABLES_DIR}{table.name}.jsonl")
            for lines in _rows(schema, table):
                member.write(lines)
                done += lines.count(b"\n")
                if progress is not None and time.monotonic() - last > 1:
                    progress(done, total)
                    last = time.monotonic()
            entry = member.close()
            entry.update(kind="table", table=table.name, model=labels.get(table.name, ""), columns=table.columns)
            entry["rows"] = counts[table.name]
            members[f"{TABLES_DIR}{table.name}.jsonl"] = entry
        for relative in files:
            member = _Member(archive, f"{FILES_DIR}{relative}")
            with company_file_open(schema, relative) as source:
                while block := source.read(1024 * 1024):
                    member.write(block)
            members[f"{FILES_DIR}{relative}"] = {"kind": "file", **member.close()}
            done += 1
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "application": "ImCRM",
            "source": company,
            "excluded": {
                "tables": sorted(EXCLUDED_TABLES),
                "columns": {t: sorted(c) for t, c in EXCLUDED_COLUMNS.items()},
            },
            "members": members,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    if progress is not None:
        progress(total, total)
    return manifest


def _counts(schema: str, tables: list[Table]) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {quote(schema)}.{quote(table.name)}")  # noqa: S608 (catalog names)
            counts[table.name] = int(cursor.fetchone()[0])
    return counts


def _rows(schema: str, table: Table) -> Iterator[bytes]:
    """The table's rows as JSON Lines, FETCH rows at a time (a server-side cursor)."""
    columns = ", ".join(quote(c) for c in table.columns)
    order = f" ORDER BY {quote(table.order_by)}" if table.order_by else ""
    select = f"SELECT {columns} FROM {quote(schema)}.{quote(table.name)}{order}"  # noqa: S608 (catalog names)
    with connection.cursor() as cursor:
        cursor.execute(f"DECLARE imcrm_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text FROM ({select}) t")  # noqa: S608 (catalog names, quoted)
        try:
            while True:
                cursor.execute(f"FETCH {FETCH} FROM imcrm_backup")
                rows = cursor.fetchall()
                if not rows:
                    break
                yield ("\n".join(row[0] for row in rows) + "\n").encode()
        finally:
            cursor.execute("CLOSE imcrm_backup")
