"""Who may reach a view, said on the view itself (issue 12).

The company-host guards (billing_saas.middleware: read-only and suspended
companies; crm.settings.middleware: required 2FA, allowed IPs) read these
markers from the view Django resolved, never from the URL path:

- `allowed_when_locked`: reachable while the company is suspended (signing in and
  out, Settings > Billing, data exports, the locked page, health, language). It
  implies `allowed_when_read_only`;
- `allowed_when_read_only`: may change data while the company is read-only (a
  person's own account: password, 2FA). Accepting an invitation is *not* one;
- `exempt_from_mfa`: usable before a person has switched on 2FA when Szef
  requires it (sign-in, enrolment, the profile, language). The API is exempt as a
  whole because its authentication classes apply the same rule (crm/settings/mfa.py);
- `exempt_from_ip_allowlist`: answered whatever the caller's address (health checks).

Mark a function view with the decorator, a class-based view or DRF view set with
the decorator on the class. Views of other packages (allauth, Django's i18n) are
marked in `THIRD_PARTY`, by URL name, in this one place. A view without a marker
gets the strictest answer; a path that names no view gets Django's 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.urls import ResolverMatch, URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

LOCKED = "allowed_when_locked"
READ_ONLY = "allowed_when_read_only"
NO_MFA = "exempt_from_mfa"
NO_IP = "exempt_from_ip_allowlist"
ATTR = "imcrm_access_policy"

V = TypeVar("V", bound=Callable[..., Any])


def _marker(*names: str) -> Callable[[V], V]:
    def mark(view: V) -> V:
        current = frozenset(getattr(view, ATTR, frozenset()))
        setattr(view, ATTR, current | set(names))
        return view

    return mark


allowed_when_locked = _marker(LOCKED, READ_ONLY)
allowed_when_read_only = _marker(READ_ONLY)
exempt_from_mfa = _marker(NO_MFA)
exempt_from_ip_allowlist = _marker(NO_IP)

_ACCOUNT = frozenset({READ_ONLY, NO_MFA})  # own account pages of allauth
_SIGN_IN = frozenset({LOCKED, READ_ONLY, NO_MFA})
# Views of other packages, by URL name (reviewed: tests/security/test_access_policy.py).
THIRD_PARTY: dict[str, frozenset[str]] = {
    # Django's language switch.
    "set_language": _SIGN_IN,
    # allauth: signing in and out, the second factor at sign-in, password reset.
    "account_login": _SIGN_IN,
    "account_logout": _SIGN_IN,
    "account_confirm_login_code": _SIGN_IN,
    "mfa_authenticate": _SIGN_IN,
    "account_reset_password": _SIGN_IN,
    "account_reset_password_done": _SIGN_IN,
    "account_reset_password_from_key": _SIGN_IN,
    "account_reset_password_from_key_done": _SIGN_IN,
    # allauth: open sign-up (closed by the adapter); it would add a person, so never while read-only.
    "account_signup": frozenset({NO_MFA}),
    # allauth: a person's own account (password, e-mail, 2FA), also while read-only.
    "account_inactive": _ACCOUNT,
    "account_reauthenticate": _ACCOUNT,
    "account_request_reauthentication_code": _ACCOUNT,
    "account_confirm_reauthentication_code": _ACCOUNT,
    "account_email": _ACCOUNT,
    "account_email_verification_sent": _ACCOUNT,
    "account_confirm_email": _ACCOUNT,
    "account_change_password": _ACCOUNT,
    "account_set_password": _ACCOUNT,
    "mfa_index": _ACCOUNT,
    "mfa_reauthenticate": _ACCOUNT,
    "mfa_activate_totp": _ACCOUNT,
    "mfa_deactivate_totp": _ACCOUNT,
    "mfa_view_recovery_codes": _ACCOUNT,
    "mfa_generate_recovery_codes": _ACCOUNT,
    "mfa_download_recovery_codes": _ACCOUNT,
}


def view_markers(view_func: Callable[..., Any], url_name: str | None = None) -> frozenset[str]:
    """The markers of a resolved view: on the function, on its class (class-based
    views: `view_class`; DRF: `cls`), or in `THIRD_PARTY` by URL name."""
    found: set[str] = set(getattr(view_func, ATTR, ()))
    for attr in ("view_class", "cls"):
        cls = getattr(view_func, attr, None)
        if cls is not None:
            found |= set(getattr(cls, ATTR, ()))
            if isinstance(cls, type) and issubclass(cls, APIView):
                found.add(NO_MFA)  # the API's authentication classes refuse people without 2FA
    if url_name:
        found |= THIRD_PARTY.get(url_name, frozenset())
    return frozenset(found)


def match_markers(match: ResolverMatch) -> frozenset[str]:
    return view_markers(match.func, match.view_name)


def request_markers(request: Any, view_func: Callable[..., Any]) -> frozenset[str]:
    """For a middleware's `process_view`: Django has resolved the request already."""
    match = getattr(request, "resolver_match", None)
    return view_markers(view_func, match.view_name if match is not None else None)


@functools.cache
def paths_marked(marker: str, urlconf: str) -> tuple[str, ...]:
    """Paths of the parameterless views carrying `marker` (e.g. the forms a read-only
    company's pages leave enabled: logout, language, billing, one's password)."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if "<" in route or "(" in route or "[" in route:
                continue  # takes parameters: no single path to name
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route.lstrip("^"))
            elif isinstance(p, URLPattern) and marker in view_markers(p.callback, p.name):
                found.append("/" + prefix + route.lstrip("^").rstrip("$"))

    walk(get_resolver(urlconf).url_patterns, "")
    return tuple(found)
