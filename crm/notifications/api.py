"""REST API of the signed-in person's notifications: /api/v1/notifications/ (list,
`?unread=true`), `<id>/` , `POST <id>/read/`, `POST read-all/` and `GET unread-count/`.
Somebody else's notification is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.common.api import AuthedApiRequest, ModelSerializer
from crm.notifications import services
from crm.notifications.models import Notification
from crm.notifications.selectors import notifications_of, unread_count


class NotificationSerializer(ModelSerializer):
    """One notification: `message` in the caller's language, `url` the card it is about
    (a path on this company's host), `read_at` null while unread."""

    message = serializers.CharField(read_only=True)
    unread = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ("id", "kind", "message", "url", "actor", "created_at", "read_at", "unread")
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer[dict[str, int]]):
    unread = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the unread ones (`true`).")]
    )
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet[Notification]):
    """Your notifications, newest first."""

    request: AuthedApiRequest
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = self.action == "list" and self.request.query_params.get("unread", "").lower() in ("1", "true")
        return notifications_of(self.request.user, unread=unread)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read."""
        notification = services.notification_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=UnreadCountSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark all your notifications read; answers how many are still unread (0)."""
        services.notifications_read_all(user=self.request.user)
        return Response({"unread": unread_count(self.request.user)})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        """How many of your notifications are unread (what the bell shows)."""
        return Response({"unread": unread_count(self.request.user)})
