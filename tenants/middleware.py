from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.db import connection
from tenants.routing import company_for_host


class CompanyMiddleware(TenantMainMiddleware):
    """Selects the company schema from the host, with a cached lookup.

    Unknown subdomains get a friendly 404 page that points to the public site.
    Pooled (unclaimed) schemas are never reachable.
    """

    def get_tenant(self, domain_model: Any, hostname: str) -> Any:
        company = company_for_host(hostname)
        if company is None or company.status == "pool":
            raise domain_model.DoesNotExist
        return company

    def no_tenant_found(self, request: HttpRequest, hostname: str) -> HttpResponse:
        connection.set_schema_to_public()
        self.setup_url_routing(request, force_public=True)
        try:
            return render(request, "tenant_not_found.html", {"hostname": hostname}, status=404)
        except Exception:
            return HttpResponseNotFound(f"No company at {hostname}. Visit {settings.IMCRM_BASE_DOMAIN}")


class NulBytesRefusedMiddleware:
    """A NUL character in the query string is never meaningful input, and PostgreSQL
    refuses it in any text parameter (a 500 wherever a view filters by a raw query
    parameter). Answer 400 instead, before any view sees it."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            return HttpResponseBadRequest(_("Adres zawiera niedozwolony znak NUL."))
        return self.get_response(request)
