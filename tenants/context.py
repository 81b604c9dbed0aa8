"""Which company a request is for, asked the same way everywhere.

`tenants.middleware.CompanyMiddleware` puts the company of the host on the request
(`request.tenant`, django-tenants' name); the public site's own row stands there on
the public host."""

from __future__ import annotations

from django.http import HttpRequest

from crm.common.types import AuthedRequest
from tenants.models import Company


class CompanyRequest(AuthedRequest):
    """A signed-in request on a company host: `tenant` is that company."""

    tenant: Company


def request_company(request: HttpRequest) -> Company | None:
    """The company whose host this request came to; None on the public host."""
    tenant = getattr(request, "tenant", None)
    if not isinstance(tenant, Company) or tenant.is_public:
        return None
    return tenant


def is_public_host(request: HttpRequest) -> bool:
    return request_company(request) is None
