from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from tenants.context import request_company


def company_branding(request: HttpRequest) -> dict[str, Any]:
    """`company_logo_url` for the header of a company host (None without a logo or a signed-in user)."""
    user = getattr(request, "user", None)
    if request_company(request) is None or user is None or not user.is_authenticated:
        return {"company_logo_url": None}
    from crm.company.models import CompanySettings

    obj = CompanySettings.current()
    if not obj.logo:
        return {"company_logo_url": None}
    return {"company_logo_url": f"{reverse('company:logo')}?v={int(obj.updated_at.timestamp())}"}
