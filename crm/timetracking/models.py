"""Time logged on projects: a running timer (no end yet) or a finished entry with its
minutes. An entry may be put on a draft invoice ("reserved": `invoice` set, the draft
not issued yet; deleting the draft frees it) and is `invoiced` once that invoice is
issued. The rules are in crm/timetracking/services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.invoicing.models import InvoiceStatus


class TimeEntry(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="time_entries"
    )
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("zadanie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="time_entries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("osoba"), on_delete=models.PROTECT, related_name="time_entries"
    )
    started_at = models.DateTimeField(_("początek"))
    ended_at = models.DateTimeField(_("koniec"), null=True, blank=True)  # None while the timer runs
    minutes = models.PositiveIntegerField(_("minuty"), default=0)
    billable = models.BooleanField(_("do fakturowania"), default=True)
    note = models.TextField(_("notatka"), blank=True)
    invoice = models.ForeignKey(
        "invoicing.Invoice",
        verbose_name=_("faktura"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="time_entries",
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("wpis czasu pracy")
        verbose_name_plural = _("wpisy czasu pracy")
        ordering = ("-started_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(ended_at__isnull=True), name="timeentry_one_running_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="timeentry_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "started_at"], name="timeentry_user_start_idx"),
            models.Index(fields=["project", "started_at"], name="timeentry_project_start_idx"),
        ]

    def __str__(self) -> str:
        hours = f"{self.minutes // 60}:{self.minutes % 60:02d}"
        return f"{self.project} — {hours} h ({self.started_at:%Y-%m-%d})"

    @property
    def running(self) -> bool:
        return self.ended_at is None

    @property
    def invoiced(self) -> bool:
        """On an issued invoice (an entry on a draft is reserved, not invoiced yet)."""
        return self.invoice_id is not None and self.invoice is not None and self.invoice.status != InvoiceStatus.DRAFT

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)
