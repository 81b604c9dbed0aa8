from __future__ import annotations

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from crm.common.policy import allowed_when_locked, exempt_from_ip_allowlist, exempt_from_mfa
from tenants.context import is_public_host
from tenants.db import connection


def _db_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "down"


def _redis_state() -> str:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        client.ping()
        return "ok"
    except Exception:
        return "down"


@allowed_when_locked
@exempt_from_mfa
@exempt_from_ip_allowlist
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db, cache = _db_state(), _redis_state()
    ok = db == "ok" and cache == "ok"
    return JsonResponse(
        {"status": "ok" if ok else "degraded", "db": db, "redis": cache, "schema": connection.schema_name},
        status=200 if ok else 503,
    )


# The public site is open to search engines except its tools; a company's pages are
# private except the public knowledge base /kb/ (they also carry <meta name="robots" content="noindex">, see templates/base.html).
_ROBOTS_PUBLIC = "User-agent: *\nDisallow: /operator/\nDisallow: /admin/\nDisallow: /signup/check/\n"
_ROBOTS_COMPANY = "User-agent: *\nAllow: /kb/\nDisallow: /\n"  # the public knowledge base is meant to be found


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    body = _ROBOTS_PUBLIC if is_public_host(request) else _ROBOTS_COMPANY
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
