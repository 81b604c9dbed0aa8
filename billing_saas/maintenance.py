"""What the operator sees of one company's storage, and ANALYZE / VACUUM of its schema.

Figures (`company_storage`) are read on the company's page only, never per row of the
company list: the schema's size is `pg_total_relation_size` (tables with their indexes
and TOAST) summed over its tables, the rows are PostgreSQL's own estimates
(`pg_stat_user_tables.n_live_tup`, else `pg_class.reltuples`: free to read, exact only
right after ANALYZE), files are the company's media folder, walked.

Maintenance runs in a Celery job (`billing_saas.schema_maintenance`), not in the request:
VACUUM of a large table takes minutes. The operator's request is audited at once (with
the reason); the job writes a second entry with the outcome. VACUUM cannot run inside a
transaction block, so the job uses a bare autocommit connection of its own and runs one
statement per table, with quoted names, and a lock timeout so a table held by a long
migration is skipped (named in the outcome) instead of waited for.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing_saas.models import OperatorAction
from billing_saas.operator_services import OperatorError, _reason, audit
from crm.accounts.models import User
from crm.backups.models import Backup, BackupStatus
from tenants.models import Company
from tenants.storage import company_files_size

logger = logging.getLogger(__name__)

ANALYZE = "analyze"
VACUUM = "vacuum"
MODES = {ANALYZE: OperatorAction.SCHEMA_ANALYZE, VACUUM: OperatorAction.SCHEMA_VACUUM}
LOCK_TIMEOUT = "5s"

_STATS_SQL = """
SELECT count(*),
       coalesce(sum(pg_total_relation_size(c.oid)), 0),
       coalesce(sum(coalesce(s.n_live_tup, greatest(c.reltuples, 0)::bigint)), 0)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
"""


@dataclass(frozen=True)
class StorageStats:
    tables: int
    schema_bytes: int
    rows_estimate: int
    file_bytes: int
    files: int
    last_activity: datetime | None  # the newest entry of the company's activity log
    last_backup: datetime | None


def company_last_backup(company: Company) -> datetime | None:
    """When the company's last successful backup finished; None when it has none (the page shows "—")."""
    with schema_context(company.schema_name):
        return (
            Backup.objects.filter(status=BackupStatus.DONE, finished_at__isnull=False)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )


def company_storage(company: Company) -> StorageStats | None:
    """The figures of one company's schema; None when the schema cannot be read."""
    connection = connections[DEFAULT_DB_ALIAS]
    schema = company.schema_name
    activity = f"{connection.ops.quote_name(schema)}.activity_activityentry"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_STATS_SQL, [schema])
            tables, size, rows = cursor.fetchone()
            last_activity = None
            if tables:
                cursor.execute("SELECT to_regclass(%s)", [activity])
                if cursor.fetchone()[0] is not None:
                    cursor.execute(f"SELECT max(created_at) FROM {activity}")  # noqa: S608
                    last_activity = cursor.fetchone()[0]
    except DatabaseError:
        logger.warning("storage of schema %s unavailable", schema)
        return None
    file_bytes, files = company_files_size(schema)
    return StorageStats(
        tables=int(tables),
        schema_bytes=int(size),
        rows_estimate=int(rows),
        file_bytes=file_bytes,
        files=files,
        last_activity=last_activity,
        last_backup=company_last_backup(company),
    )


# --- maintenance -----------------------------------------------------------------------


def _maintenance_queue(company_id: int, mode: str, requested_by: str) -> None:
    from billing_saas.tasks import schema_maintenance
    from tenants.queue import enqueue

    enqueue(schema_maintenance, company_id, mode, requested_by)


def schema_maintenance_request(*, company: Company, operator: User, mode: str, reason: str) -> None:
    """Audit the request now; the Celery job runs it once this transaction commits."""
    if mode not in MODES:
        raise OperatorError(_("Nieznany rodzaj konserwacji."))
    reason = _reason(reason)
    with transaction.atomic():
        audit(operator=operator, company=company, action=MODES[mode], reason=reason, details={"mode": mode})
        transaction.on_commit(functools.partial(_maintenance_queue, company.pk, mode, operator.email))


def _statement(mode: str, table: str) -> str:
    return f"VACUUM (ANALYZE) {table}" if mode == VACUUM else f"ANALYZE {table}"


def schema_maintenance_run(*, company_id: int, mode: str, requested_by: str = "") -> dict[str, Any]:
    """ANALYZE or VACUUM (ANALYZE) every table of one company's schema, one statement per
    table on an autocommit connection of its own; audited with the outcome."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None or mode not in MODES:
        return {}
    default = connections[DEFAULT_DB_ALIAS]
    quote = default.ops.quote_name
    started = time.monotonic()
    done: list[str] = []
    failed: dict[str, str] = {}
    raw = default.get_new_connection(default.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, false)", [LOCK_TIMEOUT])
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname",
                [company.schema_name],
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                try:
                    cursor.execute(_statement(mode, f"{quote(company.schema_name)}.{quote(table)}"))
                    done.append(table)
                except Exception as exc:  # one table that cannot be processed does not stop the rest
                    failed[table] = str(exc).strip()[:200]
    finally:
        raw.close()
    outcome: dict[str, Any] = {
        "mode": mode,
        "tables": len(done),
        "failed": failed,
        "seconds": round(time.monotonic() - started, 1),
        "requested_by": requested_by,
    }
    audit(
        operator=None,
        company=company,
        action=OperatorAction.SCHEMA_MAINTENANCE_DONE,
        reason=_("Wynik konserwacji (%(mode)s): %(tables)s tabel, %(failed)s pominiętych, %(seconds)s s.")
        % {"mode": mode.upper(), "tables": len(done), "failed": len(failed), "seconds": outcome["seconds"]},
        details=outcome,
    )
    return outcome
