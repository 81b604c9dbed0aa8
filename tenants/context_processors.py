from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tenants.urls_helpers import public_url


def company(request: HttpRequest) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    is_company = tenant is not None and tenant.schema_name != "public"
    return {
        "company": tenant if is_company else None,
        "public_site_url": public_url("/"),
        "base_domain": settings.IMCRM_BASE_DOMAIN,
    }
