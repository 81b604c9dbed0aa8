"""Celery tasks of backups: each runs in the company's schema (tenant-schemas-celery)."""

from __future__ import annotations

from celery import shared_task

from tenants.fanout import for_each_company


@shared_task(name="backups.backup_make")
def backup_make(backup_id: int) -> str:
    from crm.backups.models import Backup
    from crm.backups.services import backup_run, backups_retention_apply

    backup = Backup.objects.filter(pk=backup_id).first()
    if backup is None:
        return "missing"
    backup = backup_run(backup=backup)
    backups_retention_apply()
    return backup.status


@shared_task(name="backups.scheduled_backup")
def scheduled_backup() -> bool:
    from crm.backups.services import backups_retention_apply, scheduled_backup_due

    made = scheduled_backup_due()
    backups_retention_apply()
    return made is not None


@shared_task(name="backups.scheduled_backups_fanout", public_ok=True)
def scheduled_backups_fanout() -> int:
    return for_each_company(scheduled_backup)
