"""Net, VAT and gross of an expense from what people type off a receipt.

Either the net or the gross is given (or both); the VAT amount may be typed too (a
receipt's VAT can differ by a grosz from the rate's, when it was summed per line).
Whatever is missing is computed with the rate, rounded half up to grosze as invoices
are (crm.documents.totals). Rates without VAT (0%, zw, np, oo) carry no VAT amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crm.documents.totals import RATE_ORDER, RATE_PERCENT, money, rate_vat

ZERO = Decimal("0.00")
AMOUNT_MAX = Decimal("999999999999.99")  # the net column's 14 digits


@dataclass(frozen=True)
class Amounts:
    net: Decimal
    vat: Decimal
    gross: Decimal


def _carries_vat(vat_rate: str) -> bool:
    return RATE_PERCENT.get(vat_rate, Decimal(0)) > 0


def expense_amounts(
    *, vat_rate: str, net: Decimal | None = None, gross: Decimal | None = None, vat: Decimal | None = None
) -> Amounts:
    """The three amounts, or a ValidationError per field (in the user's language)."""
    if vat_rate not in RATE_ORDER:
        raise ValidationError({"vat_rate": _("Wybierz stawkę VAT z listy.")})
    if net is None and gross is None:
        raise ValidationError({"amount": _("Podaj kwotę netto albo brutto.")})
    errors: dict[str, str] = {}
    for name, value in (("amount", net), ("gross_amount", gross), ("vat_amount", vat)):
        if value is not None and value < 0:
            errors[name] = _("Kwota nie może być ujemna.")
        elif value is not None and value > AMOUNT_MAX:
            errors[name] = _("Kwota jest za duża.")
    if errors:
        raise ValidationError(errors)
    net = money(net) if net is not None else None
    gross = money(gross) if gross is not None else None
    vat = money(vat) if vat is not None else None
    carries = _carries_vat(vat_rate)
    if vat and not carries:
        raise ValidationError(
            {"vat_amount": _("Przy stawce %(rate)s kwota VAT wynosi 0.") % {"rate": _rate_label(vat_rate)}}
        )
    if net is None:
        assert gross is not None
        if vat is None:
            percent = RATE_PERCENT.get(vat_rate, Decimal(0))
            net = money(gross * Decimal(100) / (Decimal(100) + percent))
            vat = gross - net
        else:
            net = gross - vat
            if net < 0:
                raise ValidationError({"vat_amount": _("Kwota VAT nie może być większa niż kwota brutto.")})
    else:
        if vat is None:
            vat = gross - net if gross is not None else rate_vat(vat_rate, net)
        if gross is not None and gross != net + vat:
            raise ValidationError(
                {"gross_amount": _("Kwota brutto nie jest sumą kwoty netto i VAT (%(sum)s).") % {"sum": net + vat}}
            )
    if vat < 0:
        raise ValidationError({"gross_amount": _("Kwota brutto nie może być mniejsza niż netto.")})
    if vat and not carries:
        raise ValidationError(
            {
                "gross_amount": _("Przy stawce %(rate)s kwota brutto równa się kwocie netto.")
                % {"rate": _rate_label(vat_rate)}
            }
        )
    if vat > net:
        raise ValidationError({"vat_amount": _("Kwota VAT nie może być większa niż kwota netto.")})
    return Amounts(net=net, vat=vat, gross=net + vat)


def _rate_label(vat_rate: str) -> str:
    return f"{vat_rate}%" if vat_rate in RATE_PERCENT else vat_rate
