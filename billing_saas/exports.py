"""A downloadable archive of one company: every table of its schema as CSV (secrets
left out), its uploaded files, and a manifest. Built by a Celery task.

The CSVs are written by the product's one export writer (crm.common.exports): a
text cell a spreadsheet would run as a formula starts with an apostrophe, and
NULL (an unquoted empty field) stays apart from an empty text ("")."""

from __future__ import annotations

import io
import json
import logging
import secrets
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Any, cast

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from billing_saas.models import CompanyExport
from crm.common.exports import csv_lines
from tenants.db import connection
from tenants.storage import company_file_read, company_files, exports_storage

logger = logging.getLogger(__name__)

# Sessions, API tokens, 2FA secrets and password hashes never leave the service.
EXCLUDED_TABLES = frozenset(
    {"django_session", "authtoken_token", "accounts_apitoken", "mfa_authenticator", "django_migrations"}
)
EXCLUDED_COLUMNS = {"accounts_user": frozenset({"password"})}


def export_exists(export: CompanyExport) -> bool:
    return bool(export.file_name) and exports_storage().exists(Path(export.file_name).name)


def export_open(export: CompanyExport) -> IO[bytes] | None:
    """The archive to stream to the operator, wherever it is stored (None: gone)."""
    if not export_exists(export):
        return None
    return cast(IO[bytes], exports_storage().open(Path(export.file_name).name, "rb"))


def schema_archive_write(*, schema: str, company_name: str, target: Path | IO[bytes]) -> dict[str, int]:
    """Write the archive; returns the number of rows per table."""
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    connection.set_schema_to_public()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        if cursor.fetchone() is None:
            raise LookupError(f"schema {schema} does not exist")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
        tables = [row[0] for row in cursor.fetchall() if row[0] not in EXCLUDED_TABLES]
        for table in tables:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
                " ORDER BY ordinal_position",
                [schema, table],
            )
            skip = EXCLUDED_COLUMNS.get(table, frozenset())
            names = [row[0] for row in cursor.fetchall() if row[0] not in skip]
            source = f"{quote(schema)}.{quote(table)}"
            cursor.execute(f"SELECT count(*) FROM {source}")  # noqa: S608 (names come from the catalog, quoted)
            counts[table] = int(cursor.fetchone()[0])
            _table_write(archive, cursor, table=table, source=source, names=names)
        file_count = 0
        for name in company_files(schema):
            archive.writestr(f"files/{name}", company_file_read(schema, name))
            file_count += 1
        manifest = {
            "company": company_name,
            "schema": schema,
            "created_at": timezone.now().isoformat(),
            "tables": counts,
            "files": file_count,
            "format": (
                "CSV (UTF-8, header row, every value quoted, NULL as an empty unquoted field) per table;"
                " text starting with = + - @ tab or CR is prefixed with ' (spreadsheet formula protection);"
                " uploaded files under files/"
            ),
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return counts


def _table_write(archive: zipfile.ZipFile, cursor: Any, *, table: str, source: str, names: list[str]) -> None:
    """One table as tables/<table>.csv, streamed row by row (PostgreSQL's text form of
    each value, as COPY ... CSV gave it) through the shared writer."""
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    sql = f"COPY (SELECT {columns} FROM {source}) TO STDOUT"  # noqa: S608 (names come from the catalog, quoted)
    with (
        archive.open(f"tables/{table}.csv", "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
        cursor.cursor.copy(sql) as copy,
    ):
        for line in csv_lines(header=names, rows=copy.rows(), delimiter=",", bom=False, nulls=True):
            out.write(line)


def export_build(export_id: int) -> CompanyExport:
    """Build a pending export (idempotent: a ready export is returned as is)."""
    connection.set_schema_to_public()
    export = CompanyExport.objects.get(pk=export_id)
    if export.status == CompanyExport.Status.READY and export_exists(export):
        return export
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"{export.schema_name}-{stamp}-{secrets.token_hex(4)}.zip"
    storage = exports_storage()
    try:
        # Built in a local temporary file, then stored (the disk, or object storage).
        with tempfile.TemporaryFile(suffix=".zip") as target:
            schema_archive_write(schema=export.schema_name, company_name=export.company_name, target=target)
            target.seek(0)
            name = storage.save(name, File(target, name=name))
    except Exception as exc:
        logger.exception("export %s of %s failed", export.pk, export.schema_name)
        connection.set_schema_to_public()
        with transaction.atomic():
            CompanyExport.objects.filter(pk=export.pk).update(
                status=CompanyExport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
            )
        export.refresh_from_db()
        return export
    connection.set_schema_to_public()
    export.status = CompanyExport.Status.READY
    export.file_name = name
    export.size = storage.size(name)
    export.finished_at = timezone.now()
    export.error = ""
    export.save(update_fields=["status", "file_name", "size", "finished_at", "error"])
    return export
