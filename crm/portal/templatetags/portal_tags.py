from __future__ import annotations

from django import template

from crm.company.models import CompanySettings

register = template.Library()


@register.simple_tag
def portal_has_logo() -> bool:
    return bool(CompanySettings.current().logo)
