"""Writes of pipelines (lejki) and their stages, for Settings and the API (Szef only).

- the default pipeline cannot be deleted; another one only when it has no deals, or
  with `move_to`: its deals go to the first stage of that pipeline, then its stages go;
- a stage belongs to one pipeline for good, and its name is unique within that pipeline
  (two pipelines may both have an "Oferta"); `position` (1 = first) orders the stages
  within their pipeline; `probability` is 0–100 %;
- every change is one transaction with its activity-log entry; a refusal changes nothing.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.categories.models import DealStage, Pipeline, colour_validator
from crm.common.errors import AppError
from crm.sales.models import Deal
from crm.sales.selectors import deals_in_pipeline_q


class PipelineError(AppError):
    """A pipeline or stage change refused; `field` names the input to blame."""


def _name_clean(
    name: str,
    *,
    model: type[Pipeline] | type[DealStage],
    exclude_pk: int | None = None,
    pipeline: Pipeline | None = None,
) -> str:
    """A pipeline's name is unique in the company, a stage's within its `pipeline`."""
    name = (name or "").strip()
    if not name:
        raise PipelineError(_("Podaj nazwę."), field="name")
    if len(name) > 100:
        raise PipelineError(_("Nazwa może mieć najwyżej 100 znaków."), field="name")
    names = DealStage.objects.filter(pipeline=pipeline) if pipeline is not None else model._default_manager
    clash = names.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise _name_taken(pipeline)
    return name


def _name_taken(pipeline: Pipeline | None) -> PipelineError:
    if pipeline is None:
        return PipelineError(_("Taka nazwa już jest na liście."), field="name")
    return stage_name_taken_error(pipeline)


def stage_name_taken_message(pipeline: Pipeline) -> str:
    return _("Lejek „%(pipeline)s” ma już etap o tej nazwie.") % {"pipeline": pipeline.name}


def stage_name_taken_error(pipeline: Pipeline) -> PipelineError:
    return PipelineError(stage_name_taken_message(pipeline), field="name")


def _probability_clean(probability: int) -> int:
    if not isinstance(probability, int) or isinstance(probability, bool) or not 0 <= probability <= 100:
        raise PipelineError(_("Prawdopodobieństwo to liczba od 0 do 100."), field="probability")
    return probability


def _colour_clean(color: str) -> str:
    color = (color or "").strip()
    try:
        colour_validator(color)
    except Exception as exc:  # django ValidationError
        raise PipelineError(_("Podaj kolor w formacie #RRGGBB."), field="color") from exc
    return color.lower()


def _order_write(rows: list[Pipeline] | list[DealStage], item: Pipeline | DealStage, position: int) -> None:
    """Put `item` at `position` (1-based, clamped) among `rows` and renumber them 1..n
    (stages keep the positions of their slots: stages of all pipelines share one order)."""
    if position < 1:
        raise PipelineError(_("Pozycja musi być liczbą od 1."), field="position")
    slots = sorted(row.position for row in rows)
    order = [row for row in rows if row.pk != item.pk]
    index = min(position, len(order) + 1) - 1
    order.insert(index, item)
    numbers = slots if isinstance(item, DealStage) and len(set(slots)) == len(slots) else range(1, len(order) + 1)
    model = type(item)
    changed = []
    for number, row in zip(numbers, order, strict=True):
        if row.position != number:
            row.position = number
            changed.append(row)
    model._default_manager.bulk_update(changed, ["position"])  # type: ignore[arg-type]


def _log(actor: User | None, kind: str, obj: Pipeline | DealStage, code: str, **params: object) -> None:
    activity_record(actor=actor, kind=kind, obj=obj, code=code, params={"name": obj.name, **params})


@transaction.atomic
def pipeline_create(*, actor: User | None, name: str, position: int | None = None) -> Pipeline:
    """A new pipeline, last unless `position` says otherwise, without stages."""
    name = _name_clean(name, model=Pipeline)
    last = (Pipeline.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            pipeline = Pipeline.objects.create(name=name, position=last)
    except IntegrityError as exc:
        raise PipelineError(_("Taka nazwa już jest na liście."), field="name") from exc
    if position is not None:
        _order_write(list(Pipeline.objects.select_for_update().order_by("position", "id")), pipeline, position)
    _log(actor, ActivityKind.CREATE, pipeline, "category.created")
    return pipeline


@transaction.atomic
def pipeline_update(
    *, actor: User | None, pipeline: Pipeline, name: str | None = None, position: int | None = None
) -> Pipeline:
    """Rename and/or move a pipeline (1 = first)."""
    if name is not None and name.strip() != pipeline.name:
        old_name = pipeline.name
        pipeline.name = _name_clean(name, model=Pipeline, exclude_pk=pipeline.pk)
        try:
            with transaction.atomic():
                pipeline.save(update_fields=["name"])
        except IntegrityError as exc:
            raise PipelineError(_("Taka nazwa już jest na liście."), field="name") from exc
        changes = field_changes({"name": old_name}, {"name": pipeline.name})
        _log(actor, ActivityKind.UPDATE, pipeline, "category.updated", changes=changes)
    if position is not None:
        _order_write(list(Pipeline.objects.select_for_update().order_by("position", "id")), pipeline, position)
    return pipeline


def pipeline_deals_count(pipeline: Pipeline) -> int:
    return Deal.objects.filter(deals_in_pipeline_q(pipeline)).count()


@transaction.atomic
def pipeline_delete(*, actor: User | None, pipeline: Pipeline, move_to: Pipeline | None = None) -> int:
    """Delete `pipeline` and its stages; its deals (if any) move to the first stage of
    `move_to`. Returns how many deals moved."""
    pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    if pipeline.is_default:
        raise PipelineError(_("Domyślnego lejka nie można usunąć. Najpierw ustaw inny lejek jako domyślny."))
    if move_to is not None and move_to.pk == pipeline.pk:
        raise PipelineError(_("Wybierz inny lejek."), field="move_to")
    deals = Deal.objects.filter(deals_in_pipeline_q(pipeline))
    count = deals.count()
    if count and move_to is None:
        raise PipelineError(
            _("Szanse w tym lejku: %(count)s. Wskaż lejek, do którego je przenieść.") % {"count": count},
            field="move_to",
        )
    if count and move_to is not None:
        first = DealStage.objects.filter(pipeline=move_to).order_by("position", "id").first()
        # update(): one statement (the board's totals follow through the database trigger)
        deals.update(pipeline=move_to, stage=first)
    params = {"moved": count, "to": move_to.name} if count and move_to else {}
    _log(actor, ActivityKind.DELETE, pipeline, "category.deleted_moved" if params else "category.deleted", **params)
    DealStage.objects.filter(pipeline=pipeline).delete()
    pipeline.delete()
    return count


@transaction.atomic
def pipeline_make_default(*, actor: User | None, pipeline: Pipeline) -> Pipeline:
    """New deals go to this pipeline unless told otherwise."""
    old = Pipeline.objects.select_for_update().filter(is_default=True).exclude(pk=pipeline.pk)
    # deals older than pipelines without a stage stay with the pipeline they were in
    for previous in old:
        Deal.objects.filter(stage__isnull=True, pipeline__isnull=True).update(pipeline=previous)
    old.update(is_default=False)
    Pipeline.objects.filter(pk=pipeline.pk).update(is_default=True)
    pipeline.is_default = True
    changes = field_changes({"is_default": "False"}, {"is_default": "True"})
    _log(actor, ActivityKind.UPDATE, pipeline, "category.updated", changes=changes)
    return pipeline


def _stages_of(pipeline: Pipeline) -> list[DealStage]:
    return list(DealStage.objects.select_for_update().filter(pipeline=pipeline).order_by("position", "id"))


@transaction.atomic
def stage_create(
    *,
    actor: User | None,
    pipeline: Pipeline,
    name: str,
    color: str = "#3498db",
    probability: int = 50,
    position: int | None = None,
) -> DealStage:
    """A new stage of `pipeline`, last unless `position` (1 = first in the pipeline)."""
    name = _name_clean(name, model=DealStage, pipeline=pipeline)
    color = _colour_clean(color)
    probability = _probability_clean(probability)
    last = (DealStage.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            stage = DealStage.objects.create(
                pipeline=pipeline, name=name, color=color, probability=probability, position=last
            )
    except IntegrityError as exc:  # a concurrent add of the same name
        raise stage_name_taken_error(pipeline) from exc
    if position is not None:
        _order_write(_stages_of(pipeline), stage, position)
    _log(actor, ActivityKind.CREATE, stage, "category.created")
    return stage


@transaction.atomic
def stage_update(
    *,
    actor: User | None,
    stage: DealStage,
    name: str | None = None,
    color: str | None = None,
    probability: int | None = None,
    position: int | None = None,
) -> DealStage:
    """Rename, recolour, reweigh and/or move a stage within its pipeline."""
    before = {"name": stage.name, "color": stage.color, "probability": str(stage.probability)}
    fields = []
    if name is not None:
        stage.name = _name_clean(name, model=DealStage, exclude_pk=stage.pk, pipeline=stage.pipeline)
        fields.append("name")
    if color is not None:
        stage.color = _colour_clean(color)
        fields.append("color")
    if probability is not None:
        stage.probability = _probability_clean(probability)
        fields.append("probability")
    if fields:
        try:
            with transaction.atomic():
                stage.save(update_fields=fields)
        except IntegrityError as exc:
            raise _name_taken(stage.pipeline) from exc
        after = {"name": stage.name, "color": stage.color, "probability": str(stage.probability)}
        if changes := field_changes(before, after):
            _log(actor, ActivityKind.UPDATE, stage, "category.updated", changes=changes)
    if position is not None:
        _order_write(_stages_of(stage.pipeline), stage, position)  # type: ignore[arg-type]
    return stage


def stage_position(stage: DealStage, stages: list[DealStage]) -> int:
    """1-based place of `stage` among the (ordered) stages of its pipeline."""
    ids = [s.pk for s in stages]
    return ids.index(stage.pk) + 1 if stage.pk in ids else 0


@transaction.atomic
def stage_delete(*, actor: User | None, stage: DealStage, move_to: DealStage | None = None) -> int:
    """Delete a stage; its deals move to `move_to`, a stage of the same pipeline (required
    when the stage has deals). Returns how many deals moved."""
    stage = DealStage.objects.select_for_update().get(pk=stage.pk)
    if move_to is not None and (move_to.pipeline_id != stage.pipeline_id or move_to.pk == stage.pk):
        raise PipelineError(_("Wybierz inny etap tego samego lejka."), field="move_to")
    deals = Deal.objects.filter(stage=stage)
    count = deals.count()
    if count and move_to is None:
        raise PipelineError(
            _("Szanse na tym etapie: %(count)s. Wskaż etap tego samego lejka, do którego je przenieść.")
            % {"count": count},
            field="move_to",
        )
    if count and move_to is not None:
        deals.update(stage=move_to, pipeline_id=stage.pipeline_id)
    params = {"moved": count, "to": move_to.name} if count and move_to else {}
    _log(actor, ActivityKind.DELETE, stage, "category.deleted_moved" if params else "category.deleted", **params)
    stage.delete()
    return count
