"""Reading backups of the active company."""

from __future__ import annotations

from django.db.models import QuerySet

from crm.backups.models import Backup, BackupStatus


def backup_list() -> QuerySet[Backup]:
    return Backup.objects.select_related("created_by")


def backup_busy() -> bool:
    """A backup is queued or running (one at a time is enough)."""
    return Backup.objects.filter(status__in=[BackupStatus.QUEUED, BackupStatus.RUNNING]).exists()
