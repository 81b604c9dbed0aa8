"""Tasks with a category colour, dates, an assignee and a visibility (as in ImCRM)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskVisibility(models.TextChoices):
    EVERYONE = "everyone", _("Wszyscy")
    OWNER = "owner", _("Tylko właściciel")


class Task(models.Model):
    title = models.CharField(_("tytuł"), max_length=200)
    description = models.TextField(_("opis"), blank=True)
    category = models.ForeignKey(
        "categories.TaskCategory", verbose_name=_("kategoria"), null=True, blank=True, on_delete=models.SET_NULL
    )
    starts_at = models.DateTimeField(_("początek"), null=True, blank=True)
    due_at = models.DateTimeField(_("termin"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wykonawca"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utworzył"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_tasks",
    )
    visibility = models.CharField(
        _("widoczność"), max_length=10, choices=TaskVisibility.choices, default=TaskVisibility.EVERYONE
    )
    customer = models.ForeignKey(
        "contacts.Customer",
        verbose_name=_("klient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    deal = models.ForeignKey(
        "sales.Deal",
        verbose_name=_("szansa sprzedaży"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    done = models.BooleanField(_("wykonane"), default=False)
    completed_at = models.DateTimeField(_("wykonano"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("zadanie")
        verbose_name_plural = _("zadania")
        ordering = ("done", "due_at", "id")
        indexes = [
            models.Index(fields=["assignee", "done", "due_at"], name="task_assignee_done_due_idx"),
            models.Index(fields=["due_at"], name="task_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title
