"""Projects for a customer: status, how the work is billed (a fixed price, the project's
hourly rate, or each task's rate), a budget in hours, the people on it and ordered
milestones. Tasks are the tasks app's own (`Task.project`, `Task.milestone`); time is
logged in crm.timetracking."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.catalog.models import currency_validator
from crm.common.custom_fields import custom_fields_column, custom_fields_index
from crm.common.search import SearchFold
from crm.contacts.models import POLISH_COLLATION


class ProjectStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("nierozpoczęty")
    IN_PROGRESS = "in_progress", _("w toku")
    ON_HOLD = "on_hold", _("wstrzymany")
    FINISHED = "finished", _("zakończony")
    CANCELLED = "cancelled", _("anulowany")


class BillingType(models.TextChoices):
    FIXED = "fixed", _("stała cena")
    PROJECT_HOURS = "project_hours", _("godziny według stawki projektu")
    TASK_HOURS = "task_hours", _("godziny według stawek zadań")


class Project(models.Model):
    name = models.CharField(_("nazwa"), max_length=200, db_collation=POLISH_COLLATION)
    customer = models.ForeignKey(
        "contacts.Customer", verbose_name=_("klient"), on_delete=models.PROTECT, related_name="projects"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED
    )
    billing_type = models.CharField(
        _("rozliczenie"), max_length=13, choices=BillingType.choices, default=BillingType.PROJECT_HOURS
    )
    # the fixed price for `fixed`, the hourly rate for `project_hours`
    rate = models.DecimalField(
        _("stawka"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("waluta"), max_length=3, default="PLN", validators=[currency_validator])
    budget_hours = models.DecimalField(
        _("budżet godzin"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    start_date = models.DateField(_("data rozpoczęcia"))
    deadline = models.DateField(_("termin"), null=True, blank=True)
    description = models.TextField(_("opis"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_projects",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("członkowie"), blank=True, related_name="projects"
    )
    custom_fields = custom_fields_column()
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("projekt")
        verbose_name_plural = _("projekty")
        ordering = ("-id",)
        indexes = [
            custom_fields_index("project_custom_fields_gin"),
            models.Index(fields=["status", "-id"], name="project_status_idx"),
            models.Index(fields=["name", "id"], name="project_name_id_idx"),
            GinIndex(OpClass(SearchFold("name"), name="gin_trgm_ops"), name="project_search_fold_trgm"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("nazwa"), max_length=200)
    due_date = models.DateField(_("termin"), null=True, blank=True)
    description = models.TextField(_("opis"), blank=True)
    position = models.PositiveIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("kamień milowy")
        verbose_name_plural = _("kamienie milowe")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name
