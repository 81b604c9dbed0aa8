"""Making backups: on request (Settings, API), on a schedule (beat), before a restore;
and keeping only the last N. Writes happen in the active company schema."""

from __future__ import annotations

import functools
import logging
import secrets
from datetime import datetime
from typing import IO, Any

from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.backups.archive import archive_write, quote
from crm.backups.crypto import EncryptingWriter
from crm.backups.models import Backup, BackupFrequency, BackupKind, BackupSchedule, BackupStatus
from crm.backups.storage import SUFFIX, backup_file_remove, backup_file_write, stored_size
from crm.systemlog.models import SystemEventKind
from crm.systemlog.services import system_event_record
from tenants.db import connection
from tenants.models import Company

logger = logging.getLogger(__name__)


def active_company() -> Company:
    """The company whose schema is active (a task or `schema_context` may have set only the name)."""
    return Company.objects.get(schema_name=connection.schema_name)


def company_info(company: Company) -> dict[str, str]:
    return {"name": company.name, "subdomain": company.subdomain or "", "schema": company.schema_name}


def archive_plain_write(*, company: Company, target: IO[bytes]) -> dict[str, Any]:
    """The archive of `company`, unencrypted (the operator's `company_backup --out`)."""
    try:
        return archive_write(schema=company.schema_name, company=company_info(company), target=target)
    finally:
        connection.set_tenant(company)


def backup_request(*, actor: User | None, kind: str = BackupKind.MANUAL, period_key: str | None = None) -> Backup:
    """A queued backup of the active company; the worker makes it after the commit."""
    with transaction.atomic():
        backup = Backup.objects.create(kind=kind, created_by=actor, period_key=period_key)
        transaction.on_commit(functools.partial(_queue, backup.pk))
    return backup


def _queue(backup_id: int) -> None:
    from crm.backups.tasks import backup_make
    from tenants.queue import enqueue

    enqueue(backup_make, backup_id)


def backup_run(*, backup: Backup) -> Backup:
    """Make the archive of the active company for `backup` (queued), encrypted into its
    folder; the backup ends `done` or `failed` (with the reason), never half-written."""
    company = active_company()
    schema = company.schema_name
    if backup.status != BackupStatus.QUEUED:
        return backup
    Backup.objects.filter(pk=backup.pk).update(status=BackupStatus.RUNNING, progress=0)
    file_name = f"{timezone.now():%Y%m%d-%H%M%S}-{backup.pk}-{secrets.token_hex(6)}{SUFFIX}"
    progress = _ProgressWriter(schema, backup.pk)
    try:
        with backup_file_write(file_name, schema=schema) as raw:
            writer = EncryptingWriter(raw)
            archive_write(schema=schema, company=company_info(company), target=writer, progress=progress)  # type: ignore[arg-type]
            writer.close()
        connection.set_tenant(company)
        Backup.objects.filter(pk=backup.pk).update(
            status=BackupStatus.DONE,
            progress=100,
            size=stored_size(file_name, schema=schema),
            file_name=file_name,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        logger.exception("backup %s of %s failed", backup.pk, schema)
        connection.set_tenant(company)
        Backup.objects.filter(pk=backup.pk).update(
            status=BackupStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
    finally:
        progress.close()
    backup.refresh_from_db()
    _outcome_record(backup)
    return backup


def _outcome_record(backup: Backup) -> None:
    """The one place where a backup's outcome (done or failed) is recorded."""
    if backup.status == BackupStatus.DONE:
        logger.info("backup %s done: %s bytes", backup.pk, backup.size)
        system_event_record(
            kind=SystemEventKind.BACKUP_DONE,
            message=_("Kopia zapasowa gotowa (%(size)s bajtów).") % {"size": backup.size},
            obj=backup,
        )
    else:
        logger.warning("backup %s failed: %s", backup.pk, backup.error)
        system_event_record(
            kind=SystemEventKind.BACKUP_FAILED, message=_("Kopia zapasowa nieudana."), detail=backup.error, obj=backup
        )


class _ProgressWriter:
    """Progress goes through a connection of its own: the archive is read inside one
    long transaction, whose writes nobody would see before it ends."""

    def __init__(self, schema: str, backup_id: int) -> None:
        self.sql = f"UPDATE {quote(schema)}.backups_backup SET progress = %s WHERE id = %s"  # noqa: S608
        self.backup_id = backup_id
        self.conn: Any = None

    def __call__(self, done: int, total: int) -> None:
        try:
            if self.conn is None:
                self.conn = connections.create_connection("default")
            with self.conn.cursor() as cursor:
                cursor.execute(self.sql, [min(99, int(100 * done / max(total, 1))), self.backup_id])
        except Exception:
            logger.warning("progress of backup %s not saved", self.backup_id, exc_info=True)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def backup_download_record(*, backup: Backup, actor: User) -> None:
    activity_record(
        actor=actor,
        kind=ActivityKind.EXPORT,
        code="export",
        params={"what": "backup", "format": "zip", "rows": 0, "filters": {"id": backup.pk}},
        obj=backup,
        message=_("Pobrano kopię zapasową z %(date)s.")
        % {"date": f"{timezone.localtime(backup.created_at):%Y-%m-%d %H:%M}"},
    )


# --- schedule and retention --------------------------------------------------------


def backup_schedule() -> BackupSchedule:
    schedule = BackupSchedule.objects.first()
    return schedule if schedule is not None else BackupSchedule.objects.create()


def backup_schedule_update(*, actor: User, frequency: str, keep_last: int) -> BackupSchedule:
    with transaction.atomic():
        schedule = backup_schedule()
        schedule.frequency = frequency
        schedule.keep_last = keep_last
        schedule.save()
        activity_record(
            actor=actor,
            kind=ActivityKind.SETTINGS,
            object_type="backups.BackupSchedule",
            object_repr=str(_("Harmonogram kopii zapasowych")),
            message=_("Zmieniono harmonogram kopii zapasowych."),
        )
    return schedule


def period_key(frequency: str, now: datetime) -> str | None:
    local = timezone.localtime(now)
    if frequency == BackupFrequency.DAILY:
        return f"daily:{local:%Y-%m-%d}"
    if frequency == BackupFrequency.WEEKLY:
        year, week, _day = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return None


def scheduled_backup_due(*, now: datetime | None = None) -> Backup | None:
    """The active company's scheduled backup for this period, queued once: a second call
    in the same day (or week) finds the period taken and makes nothing."""
    key = period_key(backup_schedule().frequency, now or timezone.now())
    if key is None or Backup.objects.filter(period_key=key).exists():
        return None
    try:
        with transaction.atomic():
            return backup_request(actor=None, kind=BackupKind.SCHEDULED, period_key=key)
    except IntegrityError:
        return None  # another worker took this period a moment ago


def backups_retention_apply() -> int:
    """Keep the last N finished backups (N from the schedule); remove older ones and their files."""
    keep = max(1, backup_schedule().keep_last)
    finished = Backup.objects.filter(status__in=[BackupStatus.DONE, BackupStatus.FAILED]).order_by("-created_at", "-id")
    removed = 0
    for backup in finished[keep:]:
        backup_file_remove(backup)
        backup.delete()
        removed += 1
    return removed
