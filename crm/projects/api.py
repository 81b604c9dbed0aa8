"""REST API of projects: /api/v1/projects/ (+ <id>/milestones/) and /api/v1/milestones/.
Same rules as the pages (crm/projects/services.py); tasks join a project through
/api/v1/tasks/ (`project`, `milestone`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import User
from crm.common.api import AuthedApiRequest, ModelSerializer, query_param, related_field
from crm.common.params import ApiDateField
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.customfields.api import CUSTOM_FIELDS_RULE, CustomFieldsField, CustomFieldsFilterMixin
from crm.projects import services
from crm.projects.models import BillingType, Milestone, Project, ProjectStatus
from crm.projects.selectors import (
    milestones_visible_to,
    progress_percent,
    project_change_check,
    project_list,
    projects_visible_to,
)


class ProjectSerializer(ModelSerializer):
    """A project for a customer. `billing_type`: `fixed` (`rate` is the price),
    `project_hours` (`rate` is the hourly rate) or `task_hours` (each task's
    `hourly_rate`). `members` are user ids. `tasks_total`, `tasks_done` and `progress`
    (percent of tasks done) are read-only."""

    custom_fields = CustomFieldsField(model="project")

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    name = serializers.CharField(max_length=services.NAME_MAX)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    billing_type = serializers.ChoiceField(choices=BillingType.choices, required=False)
    rate = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=services.MAX_RATE,
        required=False,
        error_messages={"min_value": _("Stawka nie może być ujemna.")},
    )
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        error_messages={"invalid": _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")},
    )
    budget_hours = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=services.MAX_HOURS,
        required=False,
        allow_null=True,
        error_messages={"min_value": _("Budżet godzin nie może być ujemny.")},
    )
    start_date = ApiDateField(required=False, help_text=_("Domyślnie dziś."))
    deadline = ApiDateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    tasks_total = serializers.IntegerField(read_only=True, default=0)
    tasks_done = serializers.IntegerField(read_only=True, default=0)
    progress = serializers.SerializerMethodField()

    openapi_rules = {
        **CUSTOM_FIELDS_RULE,
        "name": "Must contain more than whitespace.",
        "deadline": "Must not be earlier than `start_date`.",
    }

    class Meta:
        model = Project
        fields = (
            "custom_fields",
            "id",
            "name",
            "customer",
            "status",
            "billing_type",
            "rate",
            "currency",
            "budget_hours",
            "start_date",
            "deadline",
            "description",
            "owner",
            "members",
            "tasks_total",
            "tasks_done",
            "progress",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "customer").queryset = customers_visible_to(request.user)
        return fields

    def get_progress(self, project: Project) -> int:
        """Percent of the project's tasks that are done (0 without tasks)."""
        return progress_percent(getattr(project, "tasks_done", 0) or 0, getattr(project, "tasks_total", 0) or 0)

    def create(self, validated: dict[str, Any]) -> Project:
        return services.project_create(actor=self.context["request"].user, **validated)

    def update(self, instance: Project, validated: dict[str, Any]) -> Project:
        return services.project_update(project=instance, actor=self.context["request"].user, **validated)


class MilestoneSerializer(ModelSerializer):
    """A milestone of a project, in `position` order (0 first). `project` is set when
    created and does not change."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    name = serializers.CharField(max_length=services.NAME_MAX)
    due_date = ApiDateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    position = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    tasks_total = serializers.SerializerMethodField()
    tasks_done = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ("id", "project", "name", "due_date", "description", "position", "tasks_total", "tasks_done")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "project").queryset = projects_visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["project"].read_only = True
        return fields

    def get_tasks_total(self, milestone: Milestone) -> int:
        return milestone.tasks.count()

    def get_tasks_done(self, milestone: Milestone) -> int:
        return milestone.tasks.filter(done=True).count()

    def create(self, validated: dict[str, Any]) -> Milestone:
        return services.milestone_create(actor=self.context["request"].user, **validated)

    def update(self, instance: Milestone, validated: dict[str, Any]) -> Milestone:
        validated.pop("project", None)
        return services.milestone_update(milestone=instance, actor=self.context["request"].user, **validated)


class MilestoneOrderSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=1000)

    openapi_rules = {"ids": "The ids of all the project's milestones, each exactly once."}


PROJECT_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=ProjectStatus.values, description="Status."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("member", OpenApiTypes.INT, description="Member or owner (user) id."),
    OpenApiParameter("search", OpenApiTypes.STR, description="Name or customer name."),
]


@extend_schema_view(list=extend_schema(parameters=PROJECT_FILTERS))
class ProjectViewSet(CustomFieldsFilterMixin, viewsets.ModelViewSet):
    """Projects the caller may see (Szef and Kierownik: all; Pracownik: those he owns or
    is a member of); another company's project id is a 404. Szef, Kierownik and the
    project's owner change and delete it."""

    request: AuthedApiRequest
    serializer_class = ProjectSerializer
    custom_fields_model = "project"
    queryset = Project.objects.none()

    def get_queryset(self) -> QuerySet[Project]:
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        status_ = ""
        filters: dict[str, Any] = {}
        if self.action == "list":
            status_ = self.request.query_params.get("status", "")
            if status_ and status_ not in ProjectStatus.values:
                raise serializers.ValidationError({"status": [_("Wybierz status z listy.")]})
            filters = {f"{name}_id": query_param(self.request, name) for name in ("customer", "member")}
        return project_list(
            user=self.request.user, query=self.request.query_params.get("search", ""), status=status_, **filters
        ).prefetch_related("members")

    def perform_update(self, serializer: Any) -> None:
        project_change_check(self.request.user, serializer.instance)
        serializer.save()

    def perform_destroy(self, instance: Project) -> None:
        services.project_delete(project=instance, actor=self.request.user)

    def _fresh(self, project: Project) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=project.pk)
        return dict(ProjectSerializer(fresh, context=self.get_serializer_context()).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = serializer.save()
        return Response(self._fresh(project), status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self._fresh(instance))

    @extend_schema(responses=MilestoneSerializer(many=True))
    @action(detail=True, methods=["get"])
    def milestones(self, request: Request, pk: str | None = None) -> Response:
        """The project's milestones in their order."""
        project = self.get_object()
        milestones = project.milestones.order_by("position", "id")
        return Response(MilestoneSerializer(milestones, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=MilestoneOrderSerializer, responses=MilestoneSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="milestones/reorder")
    def milestones_reorder(self, request: Request, pk: str | None = None) -> Response:
        """Put the project's milestones in the order of `ids` (each exactly once)."""
        project = self.get_object()
        body = MilestoneOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ordered = services.milestones_reorder(project=project, actor=self.request.user, ids=body.validated_data["ids"])
        return Response(MilestoneSerializer(ordered, many=True, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("project", OpenApiTypes.INT, description="Project id.")])
)
class MilestoneViewSet(viewsets.ModelViewSet):
    """Milestones of the projects the caller may see; changed by whoever changes the project."""

    request: AuthedApiRequest
    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.none()

    def get_queryset(self) -> QuerySet[Milestone]:
        if getattr(self, "swagger_fake_view", False):
            return Milestone.objects.none()
        milestones = milestones_visible_to(self.request.user).select_related("project")
        if self.action == "list":
            project_id = query_param(self.request, "project")
            if project_id:
                milestones = milestones.filter(project_id=project_id)
        return milestones.order_by("project_id", "position", "id")

    def perform_destroy(self, instance: Milestone) -> None:
        services.milestone_delete(milestone=instance, actor=self.request.user)
