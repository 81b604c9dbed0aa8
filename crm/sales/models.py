"""Deals (szanse sprzedaży) moving through stages, with the four locked statuses."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.common.custom_fields import custom_fields_column, custom_fields_index
from crm.common.search import SearchFold
from crm.contacts.models import POLISH_COLLATION


class Deal(models.Model):
    name = models.CharField(_("nazwa"), max_length=200, db_collation=POLISH_COLLATION)
    customer = models.ForeignKey(
        "contacts.Customer", verbose_name=_("klient"), on_delete=models.PROTECT, related_name="deals"
    )
    value = models.DecimalField(
        _("wartość"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("waluta"), max_length=3, default="PLN")
    category = models.ForeignKey(
        "categories.DealCategory", verbose_name=_("kategoria"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.ForeignKey("categories.DealStatus", verbose_name=_("status"), on_delete=models.PROTECT)
    pipeline = models.ForeignKey(
        "categories.Pipeline",
        verbose_name=_("lejek"),
        on_delete=models.PROTECT,
        related_name="deals",
        null=True,  # deals older than pipelines: their stage's pipeline (selectors.deals_in_pipeline_q)
        db_index=False,  # the board and reports reach deals through their stage (deal_stage_updated_idx)
        db_constraint=False,  # added without a table scan (docs/migrations.md); kept by the services
    )
    stage = models.ForeignKey(
        "categories.DealStage", verbose_name=_("etap"), null=True, blank=True, on_delete=models.SET_NULL
    )
    win_reason = models.ForeignKey(
        "categories.WinReason", verbose_name=_("powód wygranej"), null=True, blank=True, on_delete=models.SET_NULL
    )
    loss_reason = models.ForeignKey(
        "categories.LossReason", verbose_name=_("powód przegranej"), null=True, blank=True, on_delete=models.SET_NULL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    expected_close = models.DateField(_("planowane zamknięcie"), null=True, blank=True)
    closed_at = models.DateTimeField(_("zamknięto"), null=True, blank=True)
    custom_fields = custom_fields_column()
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("szansa sprzedaży")
        verbose_name_plural = _("szanse sprzedaży")
        ordering = ("-created_at", "id")
        indexes = [
            custom_fields_index("deal_custom_fields_gin"),
            models.Index(fields=["status", "stage"], name="deal_status_stage_idx"),
            GinIndex(
                OpClass(SearchFold("name"), name="gin_trgm_ops"), name="deal_search_fold_trgm"
            ),  # the global search
            models.Index(fields=["owner", "status"], name="deal_owner_status_idx"),
            models.Index(fields=["closed_at"], name="deal_closed_at_idx"),
            models.Index(fields=["name", "id"], name="deal_name_id_idx"),  # sorted by name (Polish order)
            # the pipeline board: the most recently changed deals of each stage
            models.Index(fields=["stage", "-updated_at", "-id"], name="deal_stage_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class PipelineTotal(models.Model):
    """How many deals, and what value, per status, stage (`stage_key`, 0 for none) and
    currency: the pipeline board's column figures, kept by the database
    (crm.sales.pipeline_totals); never written by Django."""

    status_id = models.BigIntegerField()
    stage_key = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    deals = models.IntegerField(default=0)
    total = models.DecimalField(max_digits=30, decimal_places=2, default=Decimal("0"))

    class Meta:
        managed = False  # table, function and triggers: migration sales 0004
        db_table = "sales_pipelinetotal"

    def __str__(self) -> str:
        return f"{self.status_id}/{self.stage_key}/{self.currency}: {self.deals}"
