"""Who may do what inside a company. Small named helpers, used by every view.

- anonymous -> login page (pages) or 401 (API);
- signed in without the rank -> 403;
- another company's object -> 404 (it does not exist in this schema anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework.permissions import BasePermission

from crm.accounts.models import Role, User

if TYPE_CHECKING:  # rest_framework.views reads the API settings, which import this module
    from rest_framework.request import Request
    from rest_framework.views import APIView

R = TypeVar("R", bound=HttpResponseBase)  # a page, a redirect or a streamed download


def is_szef(user: User | AnonymousUser | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.SZEF)


def szef_required(view: Callable[..., R]) -> Callable[..., R]:
    """Page views of Settings: login first, then Szef only (403 for other ranks)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        if not is_szef(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.szef_only = True  # type: ignore[attr-defined]
    return wrapper


class IsSzef(BasePermission):
    """API endpoints of Settings: authenticated Szef only (401 anonymous, 403 other ranks)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_szef(request.user)


def is_manager(user: User | AnonymousUser | None) -> bool:
    """Szef or Kierownik: change and delete anyone's records."""
    return getattr(user, "role", None) in (Role.SZEF, Role.KIEROWNIK)


# --- company rules that bar a signed-in person from the API ------------------------------
# A higher layer registers its rule here (crm.settings: "2FA required for all staff"); the
# API's authentication classes (crm.accounts.authentication) and the token endpoint ask
# every rule, so no view can forget one. A rule returns a message saying what to do, or None.

ApiAccessRule = Callable[[HttpRequest, User], str | None]
_api_access_rules: list[ApiAccessRule] = []


def api_access_rule_register(rule: ApiAccessRule) -> None:
    if rule not in _api_access_rules:
        _api_access_rules.append(rule)


def api_access_refusal(request: HttpRequest, user: User) -> str | None:
    """Why `user` may not use the API right now (the first rule that says so), or None."""
    for rule in _api_access_rules:
        problem = rule(request, user)
        if problem:
            return problem
    return None


def sees_everything(user: User) -> bool:
    """Szef and Kierownik see every record; a Pracownik too unless Szef switched on
    "Pracownik sees only their own customers, deals and tasks" in Settings."""
    if is_manager(user):
        return True
    from crm.company.models import CompanySettings

    return not CompanySettings.current().restrict_pracownik_to_own
