"""Template helpers of offers: `{% offer_status offer %}` (the status as a badge) and
`{{ rate|vat_label }}` (a VAT rate as printed), `{{ offer.introduction|offer_intro }}`."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from crm.documents.totals import VatRate
from crm.offers.models import Offer, OfferStatus
from crm.offers.pdf import intro_html

register = template.Library()

BADGES: dict[str, str] = {
    OfferStatus.DRAFT: "text-bg-secondary",
    OfferStatus.SENT: "text-bg-primary",
    OfferStatus.VIEWED: "text-bg-info",
    OfferStatus.ACCEPTED: "text-bg-success",
    OfferStatus.DECLINED: "text-bg-danger",
    OfferStatus.EXPIRED: "text-bg-warning",
}


@register.simple_tag
def offer_status(offer: Offer) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="offer-status" data-status="{}">{}</span>',
        BADGES.get(offer.status, "text-bg-secondary"),
        offer.status,
        offer.get_status_display(),
    )


@register.filter
def offer_intro(text: str) -> SafeString:
    """An offer's introduction as safe HTML (crm.offers.pdf.intro_html)."""
    return intro_html(text)


@register.filter
def vat_label(rate: str) -> str:
    try:
        return str(VatRate(rate).label)
    except ValueError:
        return rate
