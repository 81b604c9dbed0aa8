"""Rules of Polish VAT law that decide what an invoice must say, as plain functions.

Split payment ("mechanizm podzielonej płatności", MPP; art. 106e ust. 1 pkt 18a and
art. 108a ust. 1a of the VAT act). The invoice must carry the mark when all of these hold:

- it is a VAT invoice or a pro-forma (a correction keeps the mark of the invoice it corrects);
- the buyer is a taxpayer: the buyer has a tax id (NIP or a foreign VAT number);
- its gross total ("kwota należności ogółem") exceeds 15 000 PLN — for a foreign currency,
  the gross total converted at the invoice's exchange rate;
- at least one line is goods or services of annex 15 to the act. A line counts when it is
  marked `annex15`, or when its GTU code is GTU_05 (waste) or GTU_06 (electronic devices):
  the JPK regulation defines those two codes only by positions of annex 15. Other GTU codes
  cover annex 15 only partly, so such lines need the explicit mark.

A person may also set the mark on any invoice (paying by split payment is always allowed);
the rule only switches it on, never off.

Exemption: a line at the rate `zw` needs the legal basis of the exemption on the invoice
(art. 106e ust. 1 pkt 19).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

SPLIT_PAYMENT_THRESHOLD_PLN = Decimal(15000)
ANNEX15_GTU = frozenset({"GTU_05", "GTU_06"})
SPLIT_PAYMENT_KINDS = frozenset({"vat", "proforma"})


@dataclass(frozen=True)
class RuleLine:
    vat_rate: str
    gtu: str = ""
    annex15: bool = False


def line_is_annex15(line: RuleLine) -> bool:
    return line.annex15 or line.gtu in ANNEX15_GTU


def gross_in_pln(gross: Decimal, *, currency: str, exchange_rate: Decimal | None) -> Decimal | None:
    """The gross total in PLN; None for a foreign currency without its rate."""
    if currency == "PLN":
        return gross
    if exchange_rate is None:
        return None
    return gross * exchange_rate


def split_payment_required(
    *,
    kind: str,
    lines: Iterable[RuleLine],
    gross: Decimal,
    currency: str,
    exchange_rate: Decimal | None,
    buyer_tax_id: str,
) -> bool:
    """Whether the law requires the split-payment mark (see the module's docstring)."""
    if kind not in SPLIT_PAYMENT_KINDS or not buyer_tax_id.strip():
        return False
    in_pln = gross_in_pln(gross, currency=currency, exchange_rate=exchange_rate)
    if in_pln is None or in_pln <= SPLIT_PAYMENT_THRESHOLD_PLN:
        return False
    return any(line_is_annex15(line) for line in lines)


def exemption_needed(lines: Iterable[RuleLine]) -> bool:
    """A line at `zw`: the invoice must state the legal basis of the exemption."""
    return any(line.vat_rate == "zw" for line in lines)
