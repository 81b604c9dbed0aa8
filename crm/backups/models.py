"""Backups of the company (Settings > Kopie zapasowe) and the schedule that makes them.

Both tables are the backup machinery's own bookkeeping: they are never inside an
archive and a restore leaves them as they are (crm.backups.archive.KEPT_TABLES), which
is also why `created_by` has no database constraint (a restore empties the users table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackupStatus(models.TextChoices):
    QUEUED = "queued", _("W kolejce")
    RUNNING = "running", _("W toku")
    DONE = "done", _("Gotowa")
    FAILED = "failed", _("Nieudana")


class BackupKind(models.TextChoices):
    MANUAL = "manual", _("Na żądanie")
    SCHEDULED = "scheduled", _("Według harmonogramu")
    BEFORE_RESTORE = "before_restore", _("Przed odtworzeniem")


class Backup(models.Model):
    status = models.CharField(_("status"), max_length=10, choices=BackupStatus.choices, default=BackupStatus.QUEUED)
    kind = models.CharField(_("rodzaj"), max_length=20, choices=BackupKind.choices, default=BackupKind.MANUAL)
    progress = models.PositiveSmallIntegerField(_("postęp (%)"), default=0)
    size = models.BigIntegerField(_("rozmiar (bajty)"), default=0)
    file_name = models.CharField(max_length=100, blank=True, editable=False)
    error = models.TextField(_("błąd"), blank=True)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    finished_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utworzył"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Scheduled backups: "daily:2026-12-04" or "weekly:2026-W49"; one backup per period.
    period_key = models.CharField(max_length=20, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kopia zapasowa")
        verbose_name_plural = _("kopie zapasowe")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class BackupFrequency(models.TextChoices):
    OFF = "off", _("Wyłączone")
    DAILY = "daily", _("Codziennie")
    WEEKLY = "weekly", _("Co tydzień")


class BackupSchedule(models.Model):
    """One row per company: how often backups are made and how many are kept."""

    frequency = models.CharField(
        _("automatyczne kopie"), max_length=10, choices=BackupFrequency.choices, default=BackupFrequency.OFF
    )
    keep_last = models.PositiveSmallIntegerField(_("zachowaj ostatnie"), default=7)

    class Meta:
        verbose_name = _("harmonogram kopii zapasowych")

    def __str__(self) -> str:
        return f"{self.frequency} / {self.keep_last}"
