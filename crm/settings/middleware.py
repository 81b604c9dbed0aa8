"""Company-host guards from Settings, registered after AuthenticationMiddleware:

- `RequestScopeMiddleware`: reads the company settings row once per request and stamps the
  signed-in user with the request's address (the activity log's IP; see crm.activity.services);
- `AllowedIpMiddleware`: the allowed-IP list, on every request (pages and API);
- `SessionTimeoutMiddleware`: signs a person out after the chosen idle time;
- `MfaRequiredMiddleware`: staff without two-factor authentication go to enrolment when Szef requires it
  (pages; the API refuses them in its authentication classes, see crm/settings/mfa.py).

They do nothing on the public host.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.activity.services import actor_address_stamp, client_ip
from crm.common.policy import NO_IP, NO_MFA, request_markers
from crm.company.models import CompanySettings, company_settings_memo
from crm.settings.mfa import mfa_missing
from crm.settings.validators import ip_allowed, ip_rules_parse
from tenants.context import request_company

Handler = Callable[[HttpRequest], HttpResponse]
View = Callable[..., Any]
SEEN_KEY = "_imcrm_last_seen"
SEEN_WRITE_EVERY = 30  # seconds: do not write the session on every request


def on_company_host(request: HttpRequest) -> bool:
    return request_company(request) is not None


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class RequestScopeMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not on_company_host(request):
            return self.get_response(request)
        actor_address_stamp(getattr(request, "user", None), request)
        with company_settings_memo():
            return self.get_response(request)


class AllowedIpMiddleware:
    """Every view except those marked `exempt_from_ip_allowlist` (crm.common.policy)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: View, args: Any, kwargs: Any) -> HttpResponse | None:
        if not on_company_host(request) or NO_IP in request_markers(request, view_func):
            return None
        text = CompanySettings.current().allowed_ips
        if text.strip():
            try:
                rules = ip_rules_parse(text)
            except Exception:
                rules = []  # a stored list is validated on save; never lock everyone out on a bad row
            ip = client_ip(request)
            if not ip_allowed(ip, rules):
                message = _("Dostęp z adresu %(ip)s jest zablokowany przez ustawienia bezpieczeństwa firmy.") % {
                    "ip": ip or "?"
                }
                if wants_json(request):
                    return JsonResponse({"detail": message}, status=403)
                return render(request, "settings/ip_blocked.html", {"message": message, "ip": ip}, status=403)
        return None


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if on_company_host(request) and user is not None and user.is_authenticated:
            minutes = CompanySettings.current().session_timeout_minutes
            if minutes:
                now = int(time.time())
                seen = request.session.get(SEEN_KEY)
                if isinstance(seen, int) and now - seen > minutes * 60:
                    logout(request)
                    messages.info(
                        request,
                        _("Wylogowano po %(minutes)s min bezczynności. Zaloguj się ponownie.") % {"minutes": minutes},
                    )
                elif not isinstance(seen, int) or now - seen >= SEEN_WRITE_EVERY:
                    request.session[SEEN_KEY] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Pages only: a person without 2FA is sent to enrolment. API calls (token or
    session) are refused by the API's authentication classes with the same rule
    (crm/settings/mfa.py), which is the only place that sees token users."""

    # A person without 2FA may still use the views marked `exempt_from_mfa` (crm.common.policy):
    # sign-in/out, 2FA enrolment, the profile page (where 2FA is switched on), language, the API.

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: View, args: Any, kwargs: Any) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if NO_MFA not in request_markers(request, view_func) and mfa_missing(request, user):
            messages.warning(request, _("Szef wymaga weryfikacji dwuetapowej. Włącz ją, aby korzystać z systemu."))
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return None
