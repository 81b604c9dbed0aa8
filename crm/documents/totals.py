"""Amounts of a business document the way Polish VAT law and KSeF expect them.

A line's net value is quantity × net price less the discount, rounded to grosze.
VAT is computed once per rate on the sum of the net values of that rate (not per line),
rounded half up to grosze; the gross of a rate is its net plus its VAT, and the document's
totals are sums of the rates' figures. This is the "net method" (art. 106e ust. 10 of the
VAT act permits per-rate rounding), and it gives exactly KSeF's P_13_x / P_14_x fields.

Rates: 23, 8, 5 and 0 percent; `zw` (exempt, needs a legal basis), `np` (not subject to
Polish VAT, e.g. services abroad) and `oo` (reverse charge: the buyer settles the VAT).
The last three carry no VAT on the document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

GROSZ = Decimal("0.01")
ZERO = Decimal("0.00")


class VatRate(models.TextChoices):
    R23 = "23", "23%"
    R8 = "8", "8%"
    R5 = "5", "5%"
    R0 = "0", "0%"
    ZW = "zw", _("zw (zwolniona)")
    NP = "np", _("np (nie podlega)")
    OO = "oo", _("oo (odwrotne obciążenie)")


# Percentages of the rates that carry VAT; the others carry none.
RATE_PERCENT: dict[str, Decimal] = {"23": Decimal(23), "8": Decimal(8), "5": Decimal(5), "0": Decimal(0)}
# Order of rates on a document and in KSeF (P_13_1 is 23%, then 8%, 5%, 0%, zw, np, oo).
RATE_ORDER = ("23", "8", "5", "0", "zw", "np", "oo")


def money(value: Decimal) -> Decimal:
    """Rounded half up to grosze, as invoices are."""
    return value.quantize(GROSZ, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineIn:
    quantity: Decimal
    net_price: Decimal
    vat_rate: str
    discount_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class RateTotal:
    vat_rate: str
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Totals:
    by_rate: tuple[RateTotal, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal

    def rate(self, vat_rate: str) -> RateTotal | None:
        return next((r for r in self.by_rate if r.vat_rate == vat_rate), None)


def line_net(line: LineIn) -> Decimal:
    """Net value of one line after its discount, in grosze."""
    if line.vat_rate not in RATE_ORDER:
        raise ValueError(f"unknown VAT rate {line.vat_rate!r}")
    discount = (Decimal(100) - line.discount_percent) / Decimal(100)
    return money(line.quantity * line.net_price * discount)


def rate_vat(vat_rate: str, net: Decimal) -> Decimal:
    """VAT of a per-rate net total (zero for 0%, zw, np and oo)."""
    percent = RATE_PERCENT.get(vat_rate, Decimal(0))
    return money(net * percent / Decimal(100))


def document_totals(lines: Iterable[LineIn]) -> Totals:
    """Totals per VAT rate (in RATE_ORDER, only rates present) and for the document."""
    nets: dict[str, Decimal] = {}
    for line in lines:
        nets[line.vat_rate] = nets.get(line.vat_rate, ZERO) + line_net(line)
    by_rate = []
    for code in RATE_ORDER:
        if code in nets:
            net = money(nets[code])
            vat = rate_vat(code, net)
            by_rate.append(RateTotal(vat_rate=code, net=net, vat=vat, gross=net + vat))
    return Totals(
        by_rate=tuple(by_rate),
        net=sum((r.net for r in by_rate), ZERO),
        vat=sum((r.vat for r in by_rate), ZERO),
        gross=sum((r.gross for r in by_rate), ZERO),
    )
