"""Settings > Bezpieczeństwo, "require two-factor authentication from all staff".

Pages: `crm.settings.middleware.MfaRequiredMiddleware` sends the person to enrolment.
API: `mfa_api_rule` is registered with `crm.accounts.access` (see apps.py), so the API's
authentication classes refuse every call by token or session with 403 and this
message, and the token endpoint issues no token."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.company.models import CompanySettings


def mfa_missing(request: HttpRequest, user: User | AnonymousUser | None) -> bool:
    """The company requires 2FA and this signed-in person has no authenticator."""
    tenant = getattr(request, "tenant", None)
    return bool(
        tenant is not None
        and tenant.schema_name != "public"
        and user is not None
        and user.is_authenticated
        and CompanySettings.current().mfa_required
        and not is_mfa_enabled(user)
    )


def mfa_required_message(request: HttpRequest) -> str:
    return _(
        "Firma wymaga weryfikacji dwuetapowej, a Twoje konto jeszcze jej nie ma. Włącz ją na stronie "
        "swojego profilu: %(url)s. Do tego czasu API odmawia dostępu; po włączeniu pobierz nowy token, "
        "podając kod z aplikacji."
    ) % {"url": request.build_absolute_uri(reverse("profile:index"))}


def mfa_api_rule(request: HttpRequest, user: User) -> str | None:
    return mfa_required_message(request) if mfa_missing(request, user) else None
