"""Backfill of `Deal.pipeline` (step 2 of the expand/contract rule, docs/migrations.md).

Deals older than pipelines have an empty `pipeline` and are read as the pipeline of their
stage, or of the default pipeline when they have no stage (selectors.deals_in_pipeline_q).
`deals_pipeline_backfill` writes that reading into the column, a batch of ids per
transaction, touching only empty rows: running it again changes nothing. `updated_at` is
left alone (update() skips auto_now), so the board keeps its order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery

from crm.categories.models import DealStage, Pipeline
from crm.sales.models import Deal

BATCH_SIZE = 2000


@dataclass
class BackfillCounts:
    from_stage: int = 0  # filled with the pipeline of their stage
    to_default: int = 0  # no stage: filled with the default pipeline
    left: int = 0  # a stage without a pipeline: nothing to copy

    def __iadd__(self, other: BackfillCounts) -> BackfillCounts:
        self.from_stage += other.from_stage
        self.to_default += other.to_default
        self.left += other.left
        return self

    @property
    def filled(self) -> int:
        return self.from_stage + self.to_default


def deals_pipeline_backfill(*, batch_size: int = BATCH_SIZE) -> BackfillCounts:
    """Fill the empty `pipeline` of the active company's deals (trashed ones too)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    counts = BackfillCounts()
    default = Pipeline.objects.filter(is_default=True).first()
    stage_pipeline = Subquery(DealStage.objects.filter(pk=OuterRef("stage_id")).values("pipeline_id")[:1])
    empty = Deal._base_manager.filter(pipeline__isnull=True)
    last = 0
    while True:
        ids = list(empty.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return counts
        last = ids[-1]
        with transaction.atomic():
            batch = empty.filter(pk__in=ids)
            counts.from_stage += batch.filter(stage__pipeline__isnull=False).update(pipeline_id=stage_pipeline)
            if default is not None:
                counts.to_default += batch.filter(stage__isnull=True).update(pipeline_id=default.pk)
            counts.left += batch.count()
