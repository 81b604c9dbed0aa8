"""REST API of logged time: /api/v1/time-entries/ (list, create, change, delete), the
timer (`POST start/`, `POST stop/`, `GET running/`) and `POST invoice/` (a project's
unbilled time on a draft invoice). Same rules as the pages (crm/timetracking/services.py);
another company's entry or project is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import User
from crm.common.api import AuthedApiRequest, ModelSerializer, query_param, related_field
from crm.common.params import ApiDateTimeField, date_param
from crm.invoicing.models import Invoice
from crm.invoicing.selectors import invoice_with_lines
from crm.invoicing.serializers import InvoiceSerializer
from crm.projects.models import Project
from crm.tasks.models import Task
from crm.timetracking import services
from crm.timetracking.models import TimeEntry
from crm.timetracking.selectors import projects_visible_to, running_entry, time_entry_list


class TimeEntrySerializer(ModelSerializer):
    """A time entry. Typed in: `started_at` and either `ended_at` or `minutes`. A running
    timer has `ended_at` null (start and stop it with `start/` and `stop/`). `invoiced`:
    on an issued invoice; such an entry (or one on a draft invoice) cannot change."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.none(), required=False, allow_null=True)
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        help_text=_("Domyślnie Ty; innej osoby czas wpisują Szef i Kierownik."),
    )
    started_at = ApiDateTimeField()
    ended_at = ApiDateTimeField(required=False, allow_null=True)
    minutes = serializers.IntegerField(required=False, min_value=1, max_value=services.MAX_MINUTES)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX)
    invoiced = serializers.SerializerMethodField()
    project_name = serializers.CharField(source="project.name", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True, default=None)

    openapi_rules = {
        "started_at": "Not in the future; must not overlap another entry of the same person.",
        "ended_at": "After `started_at`, not in the future, at most 24 hours later.",
        "minutes": "With both `started_at` and `ended_at`, must equal the minutes between them.",
        "task": "Must belong to `project`.",
        "non_field_errors": "An entry on an invoice (draft or issued) cannot change.",
    }

    class Meta:
        model = TimeEntry
        fields = (
            "id",
            "project",
            "project_name",
            "task",
            "task_title",
            "user",
            "started_at",
            "ended_at",
            "minutes",
            "billable",
            "note",
            "invoiced",
            "invoice",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("invoice", "created_at", "updated_at")
        validators: list[Any] = []  # the services keep one running timer per person, with a message

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            projects = projects_visible_to(request.user)
            related_field(fields, "project").queryset = projects
            related_field(fields, "task").queryset = Task.objects.filter(project__in=projects)
        return fields

    def get_invoiced(self, entry: TimeEntry) -> bool:
        return entry.invoiced

    def create(self, validated: dict[str, Any]) -> TimeEntry:
        return services.time_entry_create(actor=self.context["request"].user, **validated)

    def update(self, instance: TimeEntry, validated: dict[str, Any]) -> TimeEntry:
        return services.time_entry_update(entry=instance, actor=self.context["request"].user, **validated)


class TimerStartSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.none(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX)

    openapi_rules = {"task": "Must belong to `project`."}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            projects = projects_visible_to(request.user)
            related_field(fields, "project").queryset = projects
            related_field(fields, "task").queryset = Task.objects.filter(project__in=projects)
        return fields


class TimeInvoiceSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    group_by = serializers.ChoiceField(
        choices=((services.GROUP_BY_TASK, "task"), (services.GROUP_BY_PERSON, "person")),
        default=services.GROUP_BY_TASK,
        help_text=_("Pozycje faktury: według zadań (task) albo według osób (person)."),
    )

    openapi_rules = {
        "project": "Must have unbilled billable time (a fixed-price project: its price, billed once).",
    }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "project").queryset = projects_visible_to(request.user)
        return fields


FILTERS = [
    OpenApiParameter("project", OpenApiTypes.INT, description="Project id."),
    OpenApiParameter("user", OpenApiTypes.INT, description="Person (user) id."),
    OpenApiParameter("task", OpenApiTypes.INT, description="Task id."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Started on or after this day."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Started on or before this day."),
]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class TimeEntryViewSet(viewsets.ModelViewSet):
    """Time entries (czas pracy) the caller may see: Szef and Kierownik every entry, a
    Pracownik those on his projects and his own. A Pracownik changes only his own."""

    request: AuthedApiRequest
    serializer_class = TimeEntrySerializer
    queryset = TimeEntry.objects.none()

    def get_queryset(self) -> QuerySet[TimeEntry]:
        if getattr(self, "swagger_fake_view", False):
            return TimeEntry.objects.none()
        filters: dict[str, Any] = {}
        if self.action == "list":
            filters = {f"{name}_id": query_param(self.request, name) for name in ("project", "user", "task")}
            filters["date_from"] = query_param(self.request, "date_from", date_param)
            filters["date_to"] = query_param(self.request, "date_to", date_param)
        return time_entry_list(user=self.request.user, **filters)

    def perform_destroy(self, instance: TimeEntry) -> None:
        services.time_entry_delete(entry=instance, actor=self.request.user)

    def _answer(self, entry: TimeEntry | None, code: int = status.HTTP_200_OK) -> HttpResponseBase:
        if entry is None:
            return JsonResponse(None, safe=False)  # DRF sends no body for None: clients get JSON null
        fresh = time_entry_list(user=self.request.user).get(pk=entry.pk)
        return Response(TimeEntrySerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=TimerStartSerializer, responses={201: TimeEntrySerializer})
    @action(detail=False, methods=["post"])
    def start(self, request: Request) -> HttpResponseBase:
        """Start your timer on a project (and task); a timer you have running stops first."""
        body = TimerStartSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        entry = services.timer_start(
            actor=self.request.user,
            project=body.validated_data["project"],
            task=body.validated_data.get("task"),
            note=body.validated_data.get("note", ""),
        )
        return self._answer(entry, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TimeEntrySerializer)
    @action(detail=False, methods=["post"])
    def stop(self, request: Request) -> HttpResponseBase:
        """Stop your running timer; 400 when none runs."""
        entry = services.timer_stop(actor=self.request.user)
        if entry is None:
            raise serializers.ValidationError({"detail": _("Żaden licznik czasu nie jest uruchomiony.")})
        return self._answer(entry)

    @extend_schema(request=TimeInvoiceSerializer, responses={201: InvoiceSerializer})
    @action(detail=False, methods=["post"])
    def invoice(self, request: Request) -> HttpResponseBase:
        """Put a project's unbilled billable time on a new draft VAT invoice for its customer
        (Szef and Kierownik; 403 otherwise), one line per task or per person. The entries
        are reserved on the draft and become `invoiced` once it is issued; deleting the
        draft frees them. Nothing to bill: 400 naming `project`."""
        body = TimeInvoiceSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        made = services.project_time_invoice(
            project=body.validated_data["project"],
            actor=self.request.user,
            group_by=body.validated_data["group_by"],
        )
        fresh = invoice_with_lines(Invoice.objects.filter(pk=made.pk)).get()
        data = InvoiceSerializer(fresh, context=self.get_serializer_context()).data
        location = reverse("invoice-detail", args=[made.pk])
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(responses=TimeEntrySerializer)
    @action(detail=False, methods=["get"])
    def running(self, request: Request) -> HttpResponseBase:
        """Your running timer, or null."""
        return self._answer(running_entry(self.request.user))
