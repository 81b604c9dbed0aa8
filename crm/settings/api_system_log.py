"""GET /api/v1/settings/system-log/: the system log, read only (Szef only), with the
filters of its Settings page: `?kind=&level=&date_from=YYYY-MM-DD&date_to=YYYY-MM-DD`."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from crm.accounts.access import IsSzef
from crm.systemlog.models import SystemEvent, SystemEventKind, SystemEventLevel
from crm.systemlog.selectors import system_event_filtered


class SystemEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = SystemEvent
        fields = ["id", "created_at", "kind", "level", "message", "detail", "object_type", "object_id", "object_repr"]


SYSTEM_LOG_FILTERS = [
    OpenApiParameter("kind", str, enum=list(SystemEventKind.values)),
    OpenApiParameter("level", str, enum=list(SystemEventLevel.values)),
    OpenApiParameter("date_from", date, description="YYYY-MM-DD, 1900-2200"),
    OpenApiParameter("date_to", date, description="YYYY-MM-DD, 1900-2200"),
]


@extend_schema_view(list=extend_schema(parameters=SYSTEM_LOG_FILTERS))
class SystemEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The system log: failed e-mails, imports, KSeF answers, webhooks, backups, jobs."""

    permission_classes = [IsSzef]
    serializer_class = SystemEventSerializer

    def get_queryset(self) -> QuerySet[SystemEvent]:
        if self.action != "list":
            return SystemEvent.objects.all()
        form, events = system_event_filtered(self.request.query_params)
        if form.is_bound and not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return events
