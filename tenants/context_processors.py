from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tenants.context import request_company
from tenants.urls_helpers import public_url


def company(request: HttpRequest) -> dict[str, Any]:
    return {
        "company": request_company(request),
        "public_site_url": public_url("/"),
        "base_domain": settings.IMCRM_BASE_DOMAIN,
    }
