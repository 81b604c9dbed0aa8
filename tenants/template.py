"""Building a company schema fast: replay a dump of one migrated template schema.

Running every migration for each new schema costs seconds and grows with each
migration added. Instead one template schema (`imcrm_template`) is migrated
whenever the set of migrations changes (its fingerprint is kept in a COMMENT on
the schema), dumped once with `pg_dump --inserts`, and replayed under a new name
in one transaction: flat time per schema. Without a usable `pg_dump` it falls
back to plain migrations.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import threading

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists

from tenants.db import connection

logger = logging.getLogger(__name__)

TEMPLATE_SCHEMA = "imcrm_template"
_lock = threading.Lock()
_dump_cache: dict[str, str] = {}


def migrations_fingerprint() -> str:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def _migrate(schema_name: str) -> None:
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def _template_fingerprint() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s", [TEMPLATE_SCHEMA]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def template_ensure() -> str:
    """Make sure the template schema exists and is migrated; return its fingerprint."""
    fingerprint = migrations_fingerprint()
    connection.set_schema_to_public()
    if _template_fingerprint() == fingerprint:
        return fingerprint
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext('imcrm_template'))")
    try:
        if _template_fingerprint() != fingerprint:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{TEMPLATE_SCHEMA}" CASCADE')
                cursor.execute(f'CREATE SCHEMA "{TEMPLATE_SCHEMA}"')
            _migrate(TEMPLATE_SCHEMA)
            with connection.cursor() as cursor:
                cursor.execute(f"COMMENT ON SCHEMA \"{TEMPLATE_SCHEMA}\" IS '{fingerprint}'")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('imcrm_template'))")
    return fingerprint


def _pg_dump_binary() -> str | None:
    candidates = [os.environ.get("IMCRM_PG_DUMP", ""), shutil.which("pg_dump") or ""]
    return next((c for c in candidates if c and os.path.exists(c)), None)


def _dump(fingerprint: str) -> str | None:
    if fingerprint in _dump_cache:
        return _dump_cache[fingerprint]
    binary = _pg_dump_binary()
    if binary is None:
        return None
    db = settings.DATABASES["default"]
    env = dict(os.environ, PGPASSWORD=str(db.get("PASSWORD") or ""))
    cmd = [binary, "--schema", TEMPLATE_SCHEMA, "--inserts", "--no-owner", "--no-privileges", "--no-comments"]
    if db.get("HOST"):
        cmd += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        cmd += ["--port", str(db["PORT"])]
    if db.get("USER"):
        cmd += ["--username", str(db["USER"])]
    cmd.append(str(db["NAME"]))
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, timeout=120).stdout  # noqa: S603
    except (subprocess.SubprocessError, OSError) as exc:
        logger.warning("pg_dump of the template failed, using migrations instead: %s", exc)
        return None
    lines = [
        line
        for line in out.splitlines()
        if not line.startswith("\\")
        and not line.startswith("SET ")
        and "set_config('search_path'" not in line
        and not line.startswith("SELECT pg_catalog.set_config")
    ]
    sql = "\n".join(lines)
    _dump_cache.clear()
    _dump_cache[fingerprint] = sql
    return sql


_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def schema_build(schema_name: str) -> None:
    """Create `schema_name` with every company table, as migrations would."""
    if not _IDENT.match(schema_name):
        raise ValueError(f"bad schema name {schema_name!r}")
    with _lock:
        fingerprint = template_ensure()
        sql = _dump(fingerprint)
    if sql is None:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema_name}"')
        _migrate(schema_name)
        return
    replay = re.sub(rf"\b{TEMPLATE_SCHEMA}\b", schema_name, sql)
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(replay)
    if not schema_exists(schema_name):
        raise RuntimeError(f"replaying the template did not create {schema_name}")
