"""Who may do what inside a company. Small named helpers, used by every view.

- anonymous -> login page (pages) or 401 (API);
- signed in without the rank -> 403;
- another company's object -> 404 (it does not exist in this schema anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from crm.accounts.models import Role, User
from crm.company.models import CompanySettings

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


def refusal_as_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Drag-and-drop endpoints answer JSON (board.js reads `error`): a PermissionDenied
    becomes 403 {"ok": false, "error": reason} instead of the 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            reason = str(exc.args[0]) if exc.args else str(_("Nie masz uprawnień do tej operacji."))
            return JsonResponse({"ok": False, "error": reason}, status=403)

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
    return not CompanySettings.current().restrict_pracownik_to_own


def may_export_personal_data(user: User | AnonymousUser | None) -> bool:
    """Szef and Kierownik may download everything the company holds about a person
    (GDPR/RODO access request, crm.privacy): personal data in bulk, so a Pracownik may not."""
    return bool(user and user.is_authenticated and user.is_active and is_manager(user))


def record_owner_for(*, actor: User | None, owner: User | None) -> User | None:
    """The owner a record created or changed by `actor` gets. "A restricted Pracownik
    owns what he creates": he may name only himself (anyone else is a ValidationError
    on `owner`), and a record he leaves without owner is his. Others get `owner` as asked."""
    if actor is None or sees_everything(actor):
        return owner
    if owner is not None and owner.pk != actor.pk:
        raise ValidationError({"owner": _("Możesz wskazać jako opiekuna tylko siebie.")})
    return actor


def may_change_owned(user: User | AnonymousUser, *people: int | None) -> bool:
    """Szef and Kierownik change and delete anyone's records; a Pracownik only records
    where he is one of `people` (the owner, the creator, the assignee)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return is_manager(user) or any(pk is not None and pk == user.pk for pk in people)


class CustomerAction(StrEnum):
    """What Szef may allow or refuse a Pracownik to do with customers (Settings > Uprawnienia)."""

    IMPORT = "import"
    EXPORT = "export"
    DELETE = "delete"


def may_customers(user: User | AnonymousUser, action: CustomerAction) -> bool:
    """Whether `user`'s rank may import, export or delete customers in this company."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_manager(user):
        return True
    return bool(getattr(CompanySettings.current(), f"pracownik_may_{action.value}"))


def customers_action_check(user: User | AnonymousUser, action: CustomerAction) -> None:
    """PermissionDenied (403 page or API answer) when `user`'s rank may not do `action`."""
    if not may_customers(user, action):
        raise PermissionDenied(CUSTOMER_ACTION_REFUSALS[action])


CUSTOMER_ACTION_REFUSALS: dict[CustomerAction, str | Promise] = {
    CustomerAction.IMPORT: _("Szef nie pozwolił Pracownikom importować klientów."),
    CustomerAction.EXPORT: _("Szef nie pozwolił Pracownikom eksportować listy klientów."),
    CustomerAction.DELETE: _("Szef nie pozwolił Pracownikom usuwać klientów."),
}
