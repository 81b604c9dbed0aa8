"""Hand-off from the public site to a new company's host, signed in as its Szef.

Signup happens on the public host, but sessions are host-only and live in the
company's schema, so the public site cannot sign anybody in on the company host.
Instead it redirects to `/auth/handoff/<token>/` there. The token is signed
(`django.core.signing`, own salt), names the company and the user, lives 60
seconds, and carries a nonce kept in the company's cache namespace (cache keys
are prefixed with the schema): redeeming deletes the nonce, and Redis deletes a
key for one caller only, so a token works once. Anything wrong (bad signature,
expired, used, another company's host, inactive user) gives the login page and
nothing else.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import login
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.common.policy import allowed_when_locked, exempt_from_mfa
from tenants.context import request_company
from tenants.urls_helpers import company_url

SALT = "imcrm.accounts.handoff"
# The receiving path on the company host (config/urls_tenant.py, name "auth-handoff"). Built by
# hand so a public-site worker need not import the whole company URLconf for one redirect.
PATH = "/auth/handoff/{token}/"
MAX_AGE = 60  # seconds
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _nonce_key(nonce: str) -> str:
    return f"handoff:{nonce}"


def handoff_token_create(*, company_id: int, schema_name: str, user_id: int) -> str:
    """A single-use token signing `user_id` in on the company's host (within 60 s)."""
    nonce = secrets.token_urlsafe(18)
    with schema_context(schema_name):
        cache.set(_nonce_key(nonce), user_id, timeout=MAX_AGE + 5)
    return signing.dumps({"c": company_id, "u": user_id, "n": nonce}, salt=SALT)


def handoff_url(*, subdomain: str, token: str) -> str:
    return company_url(subdomain, PATH.format(token=token))


def _redeem(request: HttpRequest, token: str) -> User | None:
    tenant = request_company(request)
    if tenant is None:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("c") != tenant.pk:
        return None  # another company's token: leave its nonce alone
    nonce = str(data.get("n") or "")
    if not nonce or not cache.delete(_nonce_key(nonce)):
        return None  # used already (or the cache is unreachable: fail closed)
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@allowed_when_locked
@exempt_from_mfa
@never_cache
@require_GET
def handoff_receive(request: HttpRequest, token: str) -> HttpResponse:
    user = _redeem(request, token)
    if user is None:
        return HttpResponseRedirect(resolve_url("account_login"))
    login(request, user, backend=BACKEND)
    return HttpResponseRedirect("/")
