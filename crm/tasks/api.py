"""REST API of tasks: /api/v1/tasks/. Same rules as the pages (crm/tasks/services.py)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from crm.accounts.models import User
from crm.common.api import AuthedApiRequest, ModelSerializer, related_field
from crm.contacts.models import Customer
from crm.sales.api import int_param
from crm.sales.customers import customers_visible_to
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to
from crm.tasks import services
from crm.tasks.models import Task
from crm.tasks.selectors import LIST_VIEWS, TASK_SORTS, task_list, task_project_choices


class TaskSerializer(ModelSerializer):
    """A task. `due_at` may not be earlier than `starts_at`; a task linked to a deal
    belongs to that deal's customer (filled in when omitted). `done` sets
    `completed_at`. `visibility` "owner" keeps the task private to its assignee and creator.
    `reminder_failed_at` / `reminder_failure` say when and why the e-mail reminder could
    not be sent for good (it is not retried until `due_at` or `assignee` changes)."""

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none(), required=False, allow_null=True)
    deal = serializers.PrimaryKeyRelatedField(queryset=Deal.objects.none(), required=False, allow_null=True)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    project = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.none(), required=False, allow_null=True, help_text=_("Id projektu.")
    )
    milestone = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Id kamienia milowego projektu; ustawia też projekt, gdy go brak."),
    )
    hourly_rate = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        error_messages={"min_value": _("Stawka godzinowa nie może być ujemna.")},
    )

    # Rules across fields, for the OpenAPI schema (`x-rules`, crm/accounts/openapi.py).
    openapi_rules = {
        "due_at": "Not earlier than `starts_at`.",
        "deal": "A deal of `customer` (when both are given).",
        "milestone": "A milestone of `project` (when both are given).",
    }

    class Meta:
        model = Task
        fields = (
            "id",
            "title",
            "description",
            "category",
            "customer",
            "deal",
            "project",
            "milestone",
            "hourly_rate",
            "assignee",
            "created_by",
            "starts_at",
            "due_at",
            "reminder_minutes",
            "visibility",
            "done",
            "completed_at",
            "reminder_failed_at",
            "reminder_failure",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "created_by",
            "completed_at",
            "reminder_failed_at",
            "reminder_failure",
            "created_at",
            "updated_at",
        )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "customer").queryset = customers_visible_to(request.user)
            related_field(fields, "deal").queryset = deals_visible_to(request.user)
            projects, milestones = task_project_choices(request.user)
            related_field(fields, "project").queryset = projects
            related_field(fields, "milestone").queryset = milestones
        return fields

    def create(self, validated_data: dict[str, Any]) -> Task:
        title = validated_data.pop("title")
        return services.task_create(actor=self.context["request"].user, title=title, **validated_data)

    def update(self, instance: Task, validated_data: dict[str, Any]) -> Task:
        return services.task_update(task=instance, actor=self.context["request"].user, **validated_data)


TASK_FILTERS = [
    OpenApiParameter("view", OpenApiTypes.STR, enum=list(LIST_VIEWS), description="List view; default: all."),
    OpenApiParameter("category", OpenApiTypes.INT, description="Category id."),
    OpenApiParameter("assignee", OpenApiTypes.INT, description="Assignee (user) id."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("deal", OpenApiTypes.INT, description="Deal id."),
    OpenApiParameter("project", OpenApiTypes.INT, description="Project id."),
    OpenApiParameter("milestone", OpenApiTypes.INT, description="Milestone id."),
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        enum=list(TASK_SORTS),
        description="Order of the list (`-` descending); `title` is Polish alphabetical order. "
        "Default: by due date, open tasks first.",
    ),
]


def task_api_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[Task]:
    """The tasks `GET /api/v1/tasks/` lists for these query parameters (TASK_FILTERS); also
    the set a bulk action's `filter` names (crm.bulk)."""
    view = params.get("view") or "all"
    if view not in LIST_VIEWS:
        raise serializers.ValidationError({"view": [f"one of: {', '.join(LIST_VIEWS)}"]})
    ordering = params.get("ordering") or ""
    if ordering and ordering not in TASK_SORTS:
        raise serializers.ValidationError({"ordering": [_("Wybierz jedną z wartości: %s.") % ", ".join(TASK_SORTS)]})
    return task_list(
        user=user,
        view=view,
        category_id=int_param(params, "category"),
        assignee_id=int_param(params, "assignee"),
        customer_id=int_param(params, "customer"),
        deal_id=int_param(params, "deal"),
        project_id=int_param(params, "project"),
        milestone_id=int_param(params, "milestone"),
        sort=ordering,
    )


@extend_schema_view(list=extend_schema(parameters=TASK_FILTERS))
class TaskViewSet(viewsets.ModelViewSet):
    """Tasks the caller may see: their own (assigned or created) and those shared with
    everyone; private tasks of others and another company's task ids are a 404."""

    request: AuthedApiRequest
    serializer_class = TaskSerializer

    queryset = Task.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Task]:
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        if self.action != "list":
            return task_list(user=self.request.user, view="all")
        return task_api_list(user=self.request.user, params=self.request.query_params)

    def perform_destroy(self, instance: Task) -> None:
        services.task_delete(task=instance, actor=self.request.user)
