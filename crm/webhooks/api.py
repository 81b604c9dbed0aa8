"""REST API of the webhooks (Szef only):

- /api/v1/settings/webhooks/: `id`, `url`, `description`, `events`, `active`, `created_at`;
  the create answer carries `secret` (the only time); POST `<id>/secret/` makes a new one,
  POST `<id>/test/` sends a test event.
- /api/v1/settings/webhooks/deliveries/ (`?endpoint=<id>`): each delivery with its attempts;
  POST `<id>/replay/` sends the same event again as a new delivery.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.access import IsSzef
from crm.accounts.models import User
from crm.webhooks import services
from crm.webhooks.events import EVENTS
from crm.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=list(EVENTS)), allow_empty=False)

    class Meta:
        model = WebhookEndpoint
        fields = ("id", "url", "description", "events", "active", "created_at")
        read_only_fields = ("id", "created_at")

    openapi_rules = {
        "url": "http:// or https://; an address inside the network (private, loopback, link-local) is refused.",
        "events": "At least one of the listed event names.",
    }


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ("at", "status_code", "duration_ms", "response", "error")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempts = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "endpoint",
            "event",
            "event_id",
            "status",
            "attempts_count",
            "next_attempt_at",
            "created_at",
            "payload",
            "attempts",
        )


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


_SECRET = inline_serializer("WebhookSecret", {"secret": serializers.CharField()})


class WebhookEndpointViewSet(viewsets.ModelViewSet):
    permission_classes = [IsSzef]
    serializer_class = WebhookEndpointSerializer
    queryset = WebhookEndpoint.objects.all()
    lookup_value_regex = "[0-9]+"

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            endpoint, secret = services.endpoint_create(actor=cast(User, request.user), **serializer.validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response({**self.get_serializer(endpoint).data, "secret": secret}, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.endpoint_update(
                endpoint=cast(WebhookEndpoint, serializer.instance), actor=cast(User, self.request.user), **data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

    def perform_destroy(self, instance: WebhookEndpoint) -> None:
        services.endpoint_delete(endpoint=instance, actor=cast(User, self.request.user))

    @extend_schema(request=None, responses=_SECRET)
    @action(detail=True, methods=["post"])
    def secret(self, request: Request, pk: str | None = None) -> Response:
        secret = services.endpoint_secret_regenerate(endpoint=self.get_object(), actor=cast(User, request.user))
        return Response({"secret": secret})

    @extend_schema(request=None, responses=WebhookDeliverySerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        delivery = services.test_event_send(endpoint=self.get_object(), actor=cast(User, request.user))
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsSzef]
    serializer_class = WebhookDeliverySerializer
    queryset = WebhookDelivery.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        qs = WebhookDelivery.objects.prefetch_related("attempts")
        endpoint = self.request.query_params.get("endpoint", "")
        if self.action == "list" and endpoint:
            if not endpoint.isdigit():
                raise ValidationError({"endpoint": "A webhook id."})
            qs = qs.filter(endpoint_id=int(endpoint))
        return qs

    @extend_schema(request=None, responses=WebhookDeliverySerializer)
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str | None = None) -> Response:
        delivery = services.delivery_replay(delivery=self.get_object(), actor=cast(User, request.user))
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
