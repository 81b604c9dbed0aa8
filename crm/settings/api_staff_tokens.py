"""/api/v1/settings/users/<user_id>/tokens/: Szef lists and revokes the API tokens of
any staff member (never the keys). Szef only, like the rest of Settings."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from crm.accounts.access import IsSzef
from crm.accounts.api import ApiTokenSerializer
from crm.accounts.models import ApiToken, User
from crm.accounts.tokens import api_token_revoke, api_tokens_of
from crm.common.api import AuthedApiRequest

USER_ID = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the staff member")


@extend_schema_view(
    list=extend_schema(parameters=[USER_ID]),
    retrieve=extend_schema(parameters=[USER_ID]),
    destroy=extend_schema(parameters=[USER_ID], description="Revokes the token at once."),
)
class StaffTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    request: AuthedApiRequest
    permission_classes = [IsSzef]
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def person(self) -> User:
        return get_object_or_404(User, pk=self.kwargs["user_id"])

    def get_queryset(self) -> QuerySet[ApiToken]:
        return api_tokens_of(user=self.person())

    def perform_destroy(self, instance: ApiToken) -> None:
        self.person()  # 404 for an unknown person
        api_token_revoke(actor=self.request.user, token=instance)
