from __future__ import annotations

from django import template

from crm.company.models import CompanySettings

register = template.Library()


@register.simple_tag
def portal_has_logo() -> bool:
    return bool(CompanySettings.current().logo)


@register.simple_tag
def portal_brand_css_url() -> str:
    """The company's colour stylesheet with a version that changes with the colour, or ""."""
    from django.urls import reverse

    from crm.portal.models import PortalBranding

    branding = PortalBranding.current()
    if not branding.primary_color or branding.updated_at is None:
        return ""
    return f"{reverse('portal:brand_css')}?v={int(branding.updated_at.timestamp())}"
