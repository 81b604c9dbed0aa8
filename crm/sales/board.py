"""Reads of the pipeline board: its columns (one per stage), their figures and cards.

A fixed number of queries whatever the number of deals: the figures of the whole
company come from `PipelineTotal` (kept by the database, crm.sales.pipeline_totals),
those of a filtered or restricted board from one aggregate of its deals; the cards are
the `per_column` most recently changed open deals of each stage, read in one UNION ALL
of short index scans and one query of the few columns a card shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.categories.models import DealStage, Pipeline
from crm.sales.models import Deal, PipelineTotal
from crm.sales.selectors import (
    deals_filtered,
    deals_in_pipeline_q,
    deals_visible_to,
    deals_without_stage_q,
    open_status_ids,
    top_ids_per_group,
)

BOARD_CARDS_PER_COLUMN = 30  # the rest of a column is one click away, in the list

Totals = dict[int | None, tuple[int, list[tuple[str, Decimal]]]]  # stage id -> (count, [(currency, sum)])


@dataclass(frozen=True)
class BoardCard:
    """What a card on the board shows (read as plain values: no model instances for
    hundreds of cards), and whether the viewer may drag it (change the deal)."""

    pk: int
    name: str
    value: Decimal
    currency: str
    stage_id: int | None
    updated_at: datetime
    expected_close: date | None
    customer_name: str
    owner_label: str  # the owner's name, or e-mail; "" without an owner
    category_name: str | None
    category_color: str
    may_change: bool


@dataclass
class BoardColumn:
    stage: DealStage | None
    count: int = 0
    totals: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, sum), PLN first
    deals: list[BoardCard] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.stage.pk) if self.stage else ""


def _totals_sorted(per_currency: dict[str, Decimal]) -> list[tuple[str, Decimal]]:
    return sorted(per_currency.items(), key=lambda item: (item[0] != "PLN", item[0]))


def pipeline_stages(pipeline: Pipeline) -> list[DealStage]:
    return list(DealStage.objects.filter(pipeline=pipeline).order_by("position", "id"))


def _grouped(deals: Any) -> list[tuple[int | None, str, int, Decimal | None]]:
    grouped = deals.values("stage_id", "currency").annotate(n=Count("id"), total=Sum("value")).order_by()
    return list(grouped.values_list("stage_id", "currency", "n", "total"))


def pipeline_totals(
    *,
    user: User,
    pipeline: Pipeline,
    stage_ids: list[int] | None = None,
    owner_id: int | None = None,
    category_id: int | None = None,
    open_ids: list[int] | None = None,
) -> Totals:
    """Count and per-currency sum of the open deals of `pipeline` that `user` sees
    (narrowed by the board's filters), per stage id (None: the pipeline's deals without
    a stage)."""
    open_ids = open_status_ids() if open_ids is None else open_ids
    if stage_ids is None:
        stage_ids = [stage.pk for stage in pipeline_stages(pipeline)]
    everything = sees_everything(user)
    rows: list[tuple[int | None, str, int, Decimal | None]]
    if everything and not owner_id and not category_id:
        kept = PipelineTotal.objects.filter(status_id__in=open_ids, deals__gt=0, stage_key__in=[*stage_ids, 0])
        rows = [(stage or None, cur, n, total) for stage, cur, n, total in kept.values_list(
            "stage_key", "currency", "deals", "total"
        )]  # fmt: skip
        if any(stage is None for stage, *_rest in rows):  # deals without a stage: of every pipeline
            rows = [row for row in rows if row[0] is not None]
            no_stage = Deal.objects.filter(deals_without_stage_q(pipeline), status_id__in=open_ids)
            rows += _grouped(no_stage)
    else:
        deals = deals_filtered(
            deals_visible_to(user, everything=everything), owner_id=owner_id, category_id=category_id
        )
        rows = _grouped(deals.filter(deals_in_pipeline_q(pipeline, stage_ids=stage_ids), status_id__in=open_ids))
    counts: dict[int | None, int] = defaultdict(int)
    sums: dict[int | None, dict[str, Decimal]] = defaultdict(dict)
    for stage_id, currency, n, total in rows:
        counts[stage_id] += n
        sums[stage_id][currency] = sums[stage_id].get(currency, Decimal("0")) + (total or Decimal("0"))
    return {stage_id: (counts[stage_id], _totals_sorted(sums[stage_id])) for stage_id in counts}


_CARD_VALUES = (
    "id",
    "name",
    "value",
    "currency",
    "stage_id",
    "updated_at",
    "expected_close",
    "customer__name",
    "owner_id",
    "owner__name",
    "owner__email",
    "category__name",
    "category__color",
)


def pipeline_board(
    *,
    user: User,
    pipeline: Pipeline,
    owner_id: int | None = None,
    category_id: int | None = None,
    per_column: int = BOARD_CARDS_PER_COLUMN,
) -> list[BoardColumn]:
    """Columns of the board of `pipeline`: one per stage of it (plus "no stage" when such
    deals exist), each with its count, sums and the `per_column` most recently changed
    open deals."""
    open_ids = open_status_ids()
    stages = pipeline_stages(pipeline)
    stage_ids = [stage.pk for stage in stages]
    totals = pipeline_totals(
        user=user,
        pipeline=pipeline,
        stage_ids=stage_ids,
        owner_id=owner_id,
        category_id=category_id,
        open_ids=open_ids,
    )
    columns: dict[int | None, BoardColumn] = {stage.pk: BoardColumn(stage=stage) for stage in stages}
    if totals.get(None):
        columns[None] = BoardColumn(stage=None)
    for stage_id, (count, sums) in totals.items():
        if stage_id in columns:
            columns[stage_id].count = count
            columns[stage_id].totals = sums
    deals = deals_filtered(deals_visible_to(user), owner_id=owner_id, category_id=category_id)
    open_deals = deals.filter(status_id__in=open_ids)
    groups = [Q(stage_id=key) if key is not None else deals_without_stage_q(pipeline) for key in columns]
    ids = top_ids_per_group(open_deals, groups=groups, order_by=("-updated_at", "-id"), limit=per_column)
    rows = Deal.objects.filter(pk__in=ids).order_by("-updated_at", "-id").values_list(*_CARD_VALUES)
    for pk, name, value, currency, stage_id, updated, close, customer, owner, o_name, o_email, c_name, c_color in rows:
        if stage_id in columns:
            card = BoardCard(
                pk=pk,
                name=name,
                value=value,
                currency=currency,
                stage_id=stage_id,
                updated_at=updated,
                expected_close=close,
                customer_name=customer,
                owner_label=o_name or o_email or "",
                category_name=c_name,
                category_color=c_color or "",
                may_change=may_change_owned(user, owner),
            )
            columns[stage_id].deals.append(card)
    return list(columns.values())
