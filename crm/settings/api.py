"""REST API of Settings, /api/v1/settings/... (Szef only: 401 anonymous, 403 other ranks).

Categories: `id`, `name`, `color`, `locked`, `position` (1 = first; writing it moves the entry). DELETE of a category records still use
answers 409 with the count unless `?move_to=<id>` or `?uncategorise=true` says what
to do with them; the four locked deal statuses answer 400.
Users: `id`, `email`, `name`, `role`, `is_active`; PATCH `role`/`is_active`/`name`
(deactivation takes `reassign_to`, default: the acting Szef). Invitations: POST `email`, `role`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.access import IsSzef
from crm.accounts.models import Invitation, Role, User
from crm.activity.models import ActivityEntry, ActivityKind
from crm.categories.models import ColourCategory
from crm.common.api import AuthedApiRequest
from crm.settings.categories import (
    KINDS,
    CategoryError,
    CategoryKind,
    category_create,
    category_delete,
    category_in_use,
    category_locked_message,
    category_move,
    category_update,
)
from crm.settings.staff import staff_invitation_revoke, staff_invite, staff_update

# --- categories --------------------------------------------------------------------


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$", error_messages={"invalid": _("Podaj kolor w formacie #RRGGBB.")}
    )
    locked = serializers.BooleanField(read_only=True)
    position = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="place in the list, 1 = first; writing it moves the entry and the others make room "
        "(on create: default last)",
    )


class CategoryViewSet(viewsets.ModelViewSet):
    permission_classes = [IsSzef]
    serializer_class = CategorySerializer
    kind: CategoryKind

    def get_queryset(self) -> QuerySet[ColourCategory]:
        return self.kind.model._default_manager.all()

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        if not self.kind.can_add:
            raise ValidationError({"detail": _("Grupy dodaje się z karty klienta.")})
        serializer.instance = category_create(
            actor=cast(User, self.request.user), kind=self.kind, **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        item = cast(ColourCategory, serializer.instance)
        data = {"name": item.name, "color": item.color, **serializer.validated_data}
        with transaction.atomic():
            item = category_update(
                actor=cast(User, self.request.user), category=item, name=data["name"], color=data["color"]
            )
            if "position" in data:
                item = category_move(category=item, position=data["position"])
        serializer.instance = item

    @extend_schema(
        parameters=[
            OpenApiParameter("move_to", int, description="id of the category that takes over the records"),
            OpenApiParameter("uncategorise", bool, description="leave the records without a category"),
        ]
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        if item.locked:
            return Response({"detail": category_locked_message(item)}, status=status.HTTP_400_BAD_REQUEST)
        move_to = None
        raw = request.query_params.get("move_to")
        if raw:
            try:
                move_to = self.get_queryset().exclude(pk=item.pk).get(pk=int(raw))
            except (ValueError, self.kind.model.DoesNotExist):
                return Response(
                    {"move_to": [_("Wybierz inną pozycję z tej samej listy.")]}, status=status.HTTP_400_BAD_REQUEST
                )
        uncategorise = request.query_params.get("uncategorise", "").lower() in ("1", "true", "yes")
        in_use = category_in_use(item)
        if in_use and move_to is None and not uncategorise:
            return Response(
                {
                    "detail": _(
                        "Rekordy z tą pozycją: %(count)s. Podaj ?move_to=<id>, aby je przenieść, "
                        "albo ?uncategorise=true, aby zostawić je bez kategorii."
                    )
                    % {"count": in_use},
                    "in_use": in_use,
                },
                status=status.HTTP_409_CONFLICT,
            )
        try:
            category_delete(actor=cast(User, request.user), category=item, move_to=move_to, uncategorise=uncategorise)
        except CategoryError as exc:
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(status=status.HTTP_204_NO_CONTENT)


def category_viewset(kind: CategoryKind) -> type[CategoryViewSet]:
    name = "".join(part.capitalize() for part in kind.slug.split("-")) + "ViewSet"
    attrs: dict[str, Any] = {"kind": kind, "__doc__": f"Settings: {kind.slug} (Szef only)."}
    if not kind.can_add:  # e.g. contact groups are added on a customer's card: no POST here (405)
        attrs["http_method_names"] = [m for m in CategoryViewSet.http_method_names if m != "post"]
    return type(name, (CategoryViewSet,), attrs)


CATEGORY_VIEWSETS = {slug: category_viewset(kind) for slug, kind in KINDS.items()}


# --- users and invitations ---------------------------------------------------------------


class UserSerializer(serializers.ModelSerializer):
    reassign_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        write_only=True,
        required=False,
        help_text="who takes over customers, tasks and deals on deactivation (default: you)",
    )
    # Rules across fields, for the OpenAPI schema (`x-rules`, crm/accounts/openapi.py).
    openapi_rules = {"reassign_to": "Another active person than the one deactivated."}

    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "is_active", "reassign_to"]
        read_only_fields = ["id", "email"]


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    request: AuthedApiRequest
    permission_classes = [IsSzef]
    serializer_class = UserSerializer
    queryset = User.objects.order_by("id")

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        person = cast(User, serializer.instance)
        data = serializer.validated_data
        serializer.instance = staff_update(
            actor=cast(User, self.request.user),
            person=person,
            name=data.get("name"),
            role=data.get("role"),
            is_active=data.get("is_active"),
            reassign_to=cast(User, data.get("reassign_to") or self.request.user),
        )


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "name", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
        read_only_fields = ["id", "created_at", "expires_at", "accepted_at", "revoked_at"]

    def validate_role(self, value: str) -> str:
        if value not in Role.values:
            raise ValidationError(_("Wybierz rangę z listy."))
        return value


class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """POST creates an invitation and e-mails the single-use link; DELETE revokes it."""

    request: AuthedApiRequest
    permission_classes = [IsSzef]

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.order_by("-created_at")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        from crm.settings.views.users import invitation_send

        created = staff_invite(
            email=serializer.validated_data["email"],
            role=serializer.validated_data.get("role", Role.PRACOWNIK),
            name=serializer.validated_data.get("name", ""),
            invited_by=self.request.user,
        )
        invitation_send(self.request._request, created)
        serializer.instance = created.invitation

    def perform_destroy(self, instance: Invitation) -> None:
        staff_invitation_revoke(actor=cast(User, self.request.user), invitation=instance)


# --- activity log ---------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    # The description in the requester's language (the event's code and parameters also come along).
    message = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = ActivityEntry
        fields = [
            "id",
            "created_at",
            "user",
            "user_label",
            "kind",
            "object_type",
            "object_id",
            "object_repr",
            "message",
            "code",
            "params",
            "ip",
        ]


ACTIVITY_FILTERS = [
    OpenApiParameter("user", int, description="user id"),
    OpenApiParameter("kind", str, enum=list(ActivityKind.values)),
    OpenApiParameter("date_from", date, description="YYYY-MM-DD, 1900-2200"),
    OpenApiParameter("date_to", date, description="YYYY-MM-DD, 1900-2200"),
]


@extend_schema_view(list=extend_schema(parameters=ACTIVITY_FILTERS))
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsSzef]
    """The activity log; filters `?user=<id>&kind=<kind>&date_from=YYYY-MM-DD&date_to=YYYY-MM-DD`."""

    serializer_class = ActivitySerializer

    def get_queryset(self) -> QuerySet[ActivityEntry]:
        from crm.activity.selectors import ActivityFilterForm, activity_list

        form = ActivityFilterForm(self.request.query_params or None)
        if not form.is_bound:
            return activity_list()
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        data = form.cleaned_data
        return activity_list(
            user=data.get("user"),
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
