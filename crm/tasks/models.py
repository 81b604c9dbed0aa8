"""Tasks with a category colour, dates, an assignee and a visibility (as in ImCRM)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.common.search import SearchFold
from crm.contacts.models import POLISH_COLLATION


class TaskVisibility(models.TextChoices):
    EVERYONE = "everyone", _("Wszyscy")
    OWNER = "owner", _("Tylko właściciel")


class ReminderLead(models.IntegerChoices):
    MIN_15 = 15, _("15 minut przed terminem")
    MIN_30 = 30, _("30 minut przed terminem")
    HOUR_1 = 60, _("1 godzinę przed terminem")
    HOUR_2 = 120, _("2 godziny przed terminem")
    DAY_1 = 1440, _("1 dzień przed terminem")


class ReminderFailure(models.TextChoices):
    """Why an e-mail reminder could not be sent and will not be tried again."""

    ADDRESS = "address", _("niepoprawny adres e-mail wykonawcy")
    REFUSED = "refused", _("serwer poczty odrzucił adres wykonawcy")
    MESSAGE = "message", _("serwer poczty odrzucił wiadomość")


class Task(models.Model):
    title = models.CharField(_("tytuł"), max_length=200, db_collation=POLISH_COLLATION)
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
        on_delete=models.SET_NULL,  # a deleted deal leaves its tasks (and their history) in place
        related_name="tasks",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projekt"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    # A task about a lead (crm.leads): it moves to the customer when the lead is converted.
    # No index of its own: the partial index task_lead_idx serves it.
    lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    milestone = models.ForeignKey(
        "projects.Milestone",
        verbose_name=_("kamień milowy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    # Shown to the customer's contact persons in the client portal (crm.portal), on the project's page.
    visible_to_customer = models.BooleanField(_("widoczne dla klienta"), default=False)
    # the hourly rate of a task in a project billed by task hours
    hourly_rate = models.DecimalField(_("stawka godzinowa"), max_digits=12, decimal_places=2, null=True, blank=True)
    done = models.BooleanField(_("wykonane"), default=False)
    completed_at = models.DateTimeField(_("wykonano"), null=True, blank=True)
    reminder_minutes = models.PositiveIntegerField(
        _("przypomnienie"), null=True, blank=True, choices=ReminderLead.choices, default=ReminderLead.MIN_30
    )
    # due_at minus the lead: when the e-mail reminder is due (None: no reminder).
    remind_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the reminder failed for a reason a retry cannot fix (a refused or
    # malformed address): it is not tried again until the due time or assignee changes.
    reminder_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_failure = models.CharField(max_length=10, blank=True, choices=ReminderFailure.choices, editable=False)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("zadanie")
        verbose_name_plural = _("zadania")
        ordering = ("done", "due_at", "id")
        indexes = [
            models.Index(fields=["assignee", "done", "due_at"], name="task_assignee_done_due_idx"),
            GinIndex(
                OpClass(SearchFold("title"), name="gin_trgm_ops"), name="task_search_fold_trgm"
            ),  # the global search
            models.Index(fields=["due_at"], name="task_due_idx"),
            models.Index(fields=["lead"], name="task_lead_idx", condition=models.Q(lead__isnull=False)),
            models.Index(
                fields=["remind_at"],
                name="task_reminder_pending_idx",
                condition=models.Q(reminder_sent_at__isnull=True, done=False, remind_at__isnull=False),
            ),
            models.Index(fields=["category", "done", "due_at"], name="task_category_done_due_idx"),
            # lists ordered by (done, due_at, id) and the "to do" / "done" board columns
            models.Index(fields=["done", "due_at", "id"], name="task_done_due_id_idx"),
            models.Index(fields=["done", "-completed_at", "-id"], name="task_done_completed_idx"),
            models.Index(fields=["title", "id"], name="task_title_id_idx"),  # sorted by title (Polish order)
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:  # Model.save's arguments, passed on
        self.remind_at_refresh()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "remind_at"}
        super().save(*args, **kwargs)

    def remind_at_refresh(self) -> None:
        if self.due_at is None or self.reminder_minutes is None:
            self.remind_at = None
        else:
            self.remind_at = self.due_at - timedelta(minutes=self.reminder_minutes)

    @property
    def is_overdue(self) -> bool:
        return bool(not self.done and self.due_at and self.due_at < timezone.now())
