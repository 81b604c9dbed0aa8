"""The system log of one company: what failed (or finished) in the background, for Szef.

A row is a fact written by `crm.systemlog.services.system_event_record`; nothing edits it
afterwards. It names the object it is about by type and id (no foreign key: an event must
be writable while the object's own transaction is still open or rolling back)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SystemEventKind(models.TextChoices):
    EMAIL_FAILED = "email_failed", _("Nieudana wysyłka e-maila")
    EMAIL_UNMATCHED = "email_unmatched", _("Kopia BCC bez klienta")
    IMPORT_FAILED = "import_failed", _("Nieudany import")
    IMPORT_PARTIAL = "import_partial", _("Import częściowy")
    KSEF_REJECTED = "ksef_rejected", _("Odrzucenie w KSeF")
    KSEF_FAILED = "ksef_failed", _("KSeF nie odpowiada")
    WEBHOOK_FAILED = "webhook_failed", _("Nieudane dostarczenie webhooka")
    BACKUP_DONE = "backup_done", _("Kopia zapasowa wykonana")
    BACKUP_FAILED = "backup_failed", _("Nieudana kopia zapasowa")
    JOB_FAILED = "job_failed", _("Nieudane zadanie w tle")


class SystemEventLevel(models.TextChoices):
    INFO = "info", _("Informacja")
    WARNING = "warning", _("Ostrzeżenie")
    ERROR = "error", _("Błąd")


# The level an event gets when the caller names none.
DEFAULT_LEVELS: dict[str, str] = {
    SystemEventKind.IMPORT_PARTIAL: SystemEventLevel.WARNING,
    SystemEventKind.BACKUP_DONE: SystemEventLevel.INFO,
}


class SystemEvent(models.Model):
    created_at = models.DateTimeField(_("kiedy"), default=timezone.now)
    kind = models.CharField(_("rodzaj"), max_length=30, choices=SystemEventKind.choices)
    level = models.CharField(_("poziom"), max_length=10, choices=SystemEventLevel.choices)
    message = models.CharField(_("opis"), max_length=1000)
    # The raw answer of the other side (an SMTP reply, KSeF's reason, a traceback's last line).
    detail = models.TextField(_("szczegóły"), blank=True)
    object_type = models.CharField(_("typ obiektu"), max_length=100, blank=True)
    object_id = models.CharField(_("id obiektu"), max_length=64, blank=True)
    object_repr = models.CharField(_("obiekt"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("zdarzenie systemowe")
        verbose_name_plural = _("dziennik systemowy")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at"], name="systemevent_created_idx"),
            models.Index(fields=["kind", "-created_at"], name="systemevent_kind_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.message[:60]}"
