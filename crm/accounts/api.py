"""API of one's own account: getting a token, listing and revoking one's tokens."""

from __future__ import annotations

from typing import Any, cast

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.accounts.access import api_access_refusal
from crm.accounts.models import ApiToken, User
from crm.accounts.tokens import NAME_MAX, api_token_create, api_token_revoke, api_tokens_of
from crm.common.api import AuthedApiRequest
from crm.common.policy import allowed_when_locked
from tenants.login_throttle import login_failure_record, login_lock, login_success_record


def second_factor_valid(*, user: User, code: str) -> bool:
    """A TOTP code (each works once) or an unused recovery code of `user`."""
    code = (code or "").strip().replace(" ", "")
    if not code or len(code) > 64:
        return False
    for authenticator in Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Required for people with two-factor authentication: the current code of their "
        "authenticator app, or one of their unused recovery codes. A wrong or missing code counts as "
        "a failed sign-in.",
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NAME_MAX,
        help_text="A name for the token, shown on the profile page (default: 'Token API').",
    )


DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


@allowed_when_locked
class TokenObtainView(APIView):
    """POST the e-mail and password of a staff member of this company (and `code` when
    that person has 2FA) -> {"token": KEY}; then send `Authorization: Token KEY`."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(
                DETAIL,
                description="Wrong e-mail or password, or a missing or wrong `code` for a person with 2FA "
                "(`detail` says which); invalid fields are reported per field, as everywhere in the API.",
            ),
            403: OpenApiResponse(
                DETAIL,
                description="The company requires two-factor authentication and this person has none: "
                "the message says where to switch it on.",
            ),
            429: OpenApiResponse(
                DETAIL,
                description="Too many failed sign-ins for this account from this address (or from this "
                "address): refused, even with the right password, until the lock ends (Retry-After).",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].lower()
        http = request._request
        lock = login_lock(http, account=email)
        if lock is not None:
            return _locked(lock.message, lock.seconds_left)
        user = authenticate(http, email=email, password=data.validated_data["password"])
        if user is None or not user.is_active:
            return _failed(http, email, _("Nieprawidłowy e-mail lub hasło."))
        user = cast(User, user)
        if is_mfa_enabled(user):
            code = data.validated_data.get("code") or ""
            if not code:
                message = _("To konto ma weryfikację dwuetapową: podaj w polu „code” kod z aplikacji lub kod zapasowy.")
                return _failed(http, email, message)
            if not second_factor_valid(user=user, code=code):
                return _failed(http, email, _("Nieprawidłowy albo już użyty kod weryfikacji dwuetapowej."))
        login_success_record(http, account=email)
        problem = api_access_refusal(http, user)
        if problem:
            return Response({"detail": problem}, status=status.HTTP_403_FORBIDDEN)
        issued = api_token_create(user=user, name=data.validated_data.get("name") or "")
        return Response({"token": issued.key})


def _failed(http: Any, email: str, message: str) -> Response:
    """A wrong password or code: one failure for the shared login throttle (the one that
    reaches the limit is already answered with the lock)."""
    lock = login_failure_record(http, account=email)
    if lock is not None:
        return _locked(lock.message, lock.seconds_left)
    return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)


def _locked(message: str, seconds: int) -> Response:
    return Response(
        {"detail": message}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(seconds)}
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields


class MyTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's own API tokens (never the keys); DELETE revokes one."""

    request: AuthedApiRequest
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self) -> QuerySet[ApiToken]:
        return api_tokens_of(user=self.request.user)

    def perform_destroy(self, instance: ApiToken) -> None:
        api_token_revoke(actor=self.request.user, token=instance)
