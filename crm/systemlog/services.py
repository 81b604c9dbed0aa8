"""Writing the system log: `system_event_record`, the one entry point.

An event reports something that failed (or a backup that finished) while no person was
watching. Two promises:

- It never raises. A log that cannot be written is logged (``imcrm.systemlog``) and the
  caller carries on: the failure being reported matters more than the report.
- It survives the rollback of the work that failed. Inside a transaction (an import
  whose chunk failed, a KSeF answer saved under ``transaction.atomic``) the row is not
  written in that transaction, neither directly nor through ``on_commit`` (a rollback
  would erase it, or never run it): it goes through a short connection of its own in
  autocommit, so it is committed at once whatever the caller's transaction does. The
  table has no foreign keys, so that insert never waits for the caller's locks. Outside
  a transaction the ordinary connection is used. Events are rare (failures, one per
  import or per message), so a connection per event inside a transaction is cheap.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from crm.systemlog.models import DEFAULT_LEVELS, SystemEvent, SystemEventKind, SystemEventLevel
from tenants.db import connection, on_public_schema

logger = logging.getLogger("imcrm.systemlog")

MAX_DETAIL = 20_000


def _detail_text(detail: str | Mapping[str, Any] | None) -> str:
    if detail is None:
        return ""
    if isinstance(detail, str):
        return detail[:MAX_DETAIL]
    return json.dumps(dict(detail), ensure_ascii=False, indent=1, default=str)[:MAX_DETAIL]


def _values(
    *, kind: str, message: str, detail: str | Mapping[str, Any] | None, obj: models.Model | None, level: str | None
) -> dict[str, Any]:
    if kind not in SystemEventKind.values:
        raise ValueError(f"unknown system event kind {kind!r}")
    level = level or DEFAULT_LEVELS.get(kind, SystemEventLevel.ERROR)
    if level not in SystemEventLevel.values:
        raise ValueError(f"unknown system event level {level!r}")
    values: dict[str, Any] = {
        "created_at": timezone.now(),
        "kind": kind,
        "level": level,
        "message": str(message)[:1000],
        "detail": _detail_text(detail),
        "object_type": "",
        "object_id": "",
        "object_repr": "",
    }
    if obj is not None:
        values["object_type"] = f"{obj._meta.app_label}.{obj._meta.model_name}"[:100]
        values["object_id"] = str(obj.pk)[:64] if obj.pk is not None else ""
        values["object_repr"] = str(obj)[:200]
    return values


def _write_aside(schema: str, values: dict[str, Any]) -> None:
    """Insert through a database connection of its own (autocommit), outside the caller's
    transaction. A bare driver connection: no Django wrapper, so no signals and no
    `connection_created` queries that would land on the caller's connection."""
    default = connections[DEFAULT_DB_ALIAS]
    quote = default.ops.quote_name
    table = f"{quote(schema)}.{quote(SystemEvent._meta.db_table)}"
    columns = ", ".join(quote(name) for name in values)
    marks = ", ".join(["%s"] * len(values))
    raw = default.get_new_connection(default.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))  # noqa: S608
    finally:
        raw.close()


def system_event_record(
    *,
    kind: str,
    message: str,
    detail: str | Mapping[str, Any] | None = None,
    obj: models.Model | None = None,
    level: str | None = None,
) -> bool:
    """Add one event to the system log of the active company schema; True when written.

    `kind` is a `SystemEventKind` value; `level` a `SystemEventLevel` value (by default
    ``error``, ``warning`` for a partial import, ``info`` for a finished backup). `message`
    is one line for the table (up to 1000 characters); `detail` the raw answer of the
    other side (an SMTP reply, a reason from KSeF), text or a JSON-able mapping. `obj`
    the record the event is about, if any. Never raises; see the module docstring on
    transactions. Returns False (and logs) on the public schema and when writing failed.
    """
    try:
        values = _values(kind=kind, message=message, detail=detail, obj=obj, level=level)
        if on_public_schema():
            logger.warning("system event %s outside any company: %s", kind, values["message"])
            return False
        schema = connection.schema_name
        logger.info("system event %s in %s: %s", kind, schema, values["message"])
        if connection.in_atomic_block:
            _write_aside(schema, values)
        else:
            SystemEvent.objects.create(**values)
        return True
    except Exception:
        logger.exception("system event %s could not be written: %s", kind, message)
        return False
