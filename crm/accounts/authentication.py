"""How the API knows who is calling: `Authorization: Token KEY` against our own
tokens (crm.accounts.tokens), or the browser session. Both are the default
authentication classes of every API view (REST_FRAMEWORK in config/settings.py), and
both apply the company's rules for API access (`crm.accounts.access.api_access_refusal`:
e.g. required 2FA) right after recognising the person, so no view can skip them: a
barred person gets 403 with a message saying what to do."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from crm.accounts.access import api_access_refusal
from crm.accounts.models import ApiToken
from crm.accounts.tokens import api_token_for_key, api_token_touch
from crm.activity.services import actor_address_stamp


def _refuse_if_barred(request: Request, found: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    if found is not None:
        problem = api_access_refusal(request._request, found[0])
        if problem:
            raise exceptions.PermissionDenied(problem)
        actor_address_stamp(found[0], request._request)  # the activity log's IP for this caller
    return found


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing and answers (401 with `WWW-Authenticate: Token`); our lookup
    by hash, and the time of last use recorded at most once a minute."""

    keyword = "Token"
    model = ApiToken

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return _refuse_if_barred(request, super().authenticate(request))

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = api_token_for_key(key=key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Nieprawidłowy albo unieważniony token."))
        api_token_touch(token=token)
        return token.user, token


class CompanySessionAuthentication(SessionAuthentication):
    """The signed-in browser (CSRF enforced as in DRF), under the same access rules."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return _refuse_if_barred(request, super().authenticate(request))
