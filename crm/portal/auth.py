"""The portal's own session: not django.contrib.auth.

A portal session holds `SESSION_ID` (the PortalAccount) and `SESSION_HASH` (an HMAC of
its password hash). Every portal request loads the account again and checks that the
contact still exists, the portal is still on for them and the password is the one the
session was opened with: deleting the contact, switching the portal off or changing the
password ends every other session at once. `request.user` stays anonymous, so staff
pages send a portal session to the staff login and the staff API answers 401; a signed-in
staff user is never a portal session (the portal shows them its login page).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.hashers import make_password
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from crm.common.token_pages import customer_page, private
from crm.portal.models import PortalAccount

SESSION_ID = "_portal_account_id"
SESSION_HASH = "_portal_account_hash"


class PortalRequest(HttpRequest):
    portal_account: PortalAccount


def session_hash(account: PortalAccount) -> str:
    return salted_hmac("crm.portal.auth.session", account.password, algorithm="sha256").hexdigest()


def portal_login(request: HttpRequest, account: PortalAccount) -> None:
    """Open a portal session; a staff session in the same browser ends (one realm per session)."""
    request.session.flush()
    request.session[SESSION_ID] = account.pk
    request.session[SESSION_HASH] = session_hash(account)
    rotate_token(request)
    account.last_login = timezone.now()
    account.save(update_fields=["last_login"])


def portal_logout(request: HttpRequest) -> None:
    request.session.flush()


def portal_session_refresh(request: HttpRequest, account: PortalAccount) -> None:
    """Keep this session after the account's own password change (others end)."""
    request.session.cycle_key()
    request.session[SESSION_HASH] = session_hash(account)


def portal_account(request: HttpRequest) -> PortalAccount | None:
    """The portal account of this session, or None (also for any signed-in staff user)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    pk = request.session.get(SESSION_ID)
    if not isinstance(pk, int):
        return None
    account = (
        PortalAccount.objects.select_related("contact__customer").filter(pk=pk, contact__portal_enabled=True).first()
    )
    if account is None or not constant_time_compare(str(request.session.get(SESSION_HASH, "")), session_hash(account)):
        request.session.pop(SESSION_ID, None)
        request.session.pop(SESSION_HASH, None)
        return None
    return account


def login_redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('portal:login')}?{urlencode({'next': request.get_full_path()})}")


def portal_page(permission: str | None = None) -> Callable[[Callable[..., HttpResponse]], Any]:
    """A portal page: a portal session or the portal's login page; without `permission`
    (crm.contacts.models.PortalPermission) the section does not exist (404). Marked as the
    customer's page (crm.common.token_pages.customer_page): not staff work, so open while the
    company is read-only, outside the staff IP list and 2FA."""

    def wrap(view: Callable[..., HttpResponse]) -> Any:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            account = portal_account(request)
            if account is None:
                return login_redirect(request)
            if permission is not None and permission not in account.contact.portal_permissions:
                raise Http404
            request.portal_account = account  # type: ignore[attr-defined]
            return private(view(request, *args, **kwargs))

        return customer_page(inner)

    return wrap


def unusable_password() -> str:
    return make_password(None)
