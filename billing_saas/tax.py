"""VAT on ImCRM's own prices. Plan prices are net; a Polish company pays 23% VAT on
top, which Stripe Checkout adds through a tax rate (exclusive) on every line item,
and the company's NIP goes to its Stripe customer as an `eu_vat` tax id."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

VAT_PERCENT = Decimal("23")
CENT = Decimal("0.01")


def vat_of(net: Decimal) -> Decimal:
    return (net * VAT_PERCENT / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def gross_of(net: Decimal) -> Decimal:
    return net + vat_of(net)


def eu_vat_id(nip: str) -> str:
    """The NIP as an EU VAT number ("PL" and ten digits), or "" when it is not one."""
    digits = "".join(ch for ch in nip if ch.isdigit())
    return f"PL{digits}" if len(digits) == 10 else ""
