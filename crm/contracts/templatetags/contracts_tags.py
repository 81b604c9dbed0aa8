"""Template helpers of contracts: `{% contract_status contract %}` (the status as a badge)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from crm.contracts.models import Contract, ContractStatus

register = template.Library()

BADGES: dict[str, str] = {
    ContractStatus.DRAFT: "text-bg-secondary",
    ContractStatus.SENT: "text-bg-primary",
    ContractStatus.SIGNED: "text-bg-info",
    ContractStatus.ACTIVE: "text-bg-success",
    ContractStatus.EXPIRED: "text-bg-warning",
    ContractStatus.TERMINATED: "text-bg-danger",
}


@register.simple_tag
def contract_status(contract: Contract) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="contract-status" data-status="{}">{}</span>',
        BADGES.get(contract.status, "text-bg-secondary"),
        contract.status,
        contract.get_status_display(),
    )
