"""Lines of a document as services receive them, checked and stored.

`LineData` is one line as typed (by a form, the API, a copy of another document);
`lines_check` says what is wrong with each line in the user's language, and
`lines_replace` writes a document's lines anew (positions 1..n, net values computed)
and returns the totals to store on the document (crm.documents.totals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from crm.documents.totals import RATE_ORDER, LineIn, Totals, document_totals, line_net

# The largest amount a DecimalField(max_digits=14, decimal_places=2) holds.
MAX_AMOUNT = Decimal("999999999999.99")
MAX_QUANTITY = Decimal("9999999999.9999")


@dataclass(frozen=True)
class LineData:
    name: str
    net_price: Decimal
    quantity: Decimal = Decimal(1)
    unit: str = "szt."
    vat_rate: str = "23"
    discount_percent: Decimal = Decimal(0)
    product_id: int | None = None
    gtu: str = ""
    pkwiu: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_line_in(self) -> LineIn:
        return LineIn(
            quantity=self.quantity,
            net_price=self.net_price,
            vat_rate=self.vat_rate,
            discount_percent=self.discount_percent,
        )


def _line_errors(line: LineData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (line.name or "").strip():
        errors["name"] = _("Podaj nazwę pozycji.")
    if not (line.unit or "").strip():
        errors["unit"] = _("Podaj jednostkę, np. szt.")
    if line.quantity is None or not line.quantity.is_finite() or line.quantity <= 0:
        errors["quantity"] = _("Ilość musi być większa od zera.")
    elif line.quantity > MAX_QUANTITY:
        errors["quantity"] = _("Ilość jest zbyt duża.")
    if line.net_price is None or not line.net_price.is_finite() or line.net_price < 0:
        errors["net_price"] = _("Cena netto nie może być ujemna.")
    elif line.net_price > MAX_AMOUNT:
        errors["net_price"] = _("Cena jest zbyt duża.")
    if line.vat_rate not in RATE_ORDER:
        errors["vat_rate"] = _("Wybierz stawkę VAT z listy.")
    if (
        line.discount_percent is None
        or not line.discount_percent.is_finite()
        or not (0 <= line.discount_percent <= 100)
    ):
        errors["discount_percent"] = _("Rabat musi mieścić się między 0 a 100%.")
    if not errors and line_net(line.as_line_in()) > MAX_AMOUNT:
        errors["net_price"] = _("Wartość pozycji jest zbyt duża.")
    return errors


def line_errors(line: LineData) -> dict[str, str]:
    """{field: message} of what is wrong with one line (empty when it is fine)."""
    return _line_errors(line)


def lines_check(lines: Sequence[LineData]) -> None:
    """ValidationError {"lines": ["Pozycja 2: Podaj nazwę pozycji.", ...]} when a line is
    wrong, or when the document's totals do not fit."""
    messages = [
        _("Pozycja %(n)s: %(message)s") % {"n": n, "message": message}
        for n, line in enumerate(lines, start=1)
        for message in _line_errors(line).values()
    ]
    if messages:
        raise ValidationError({"lines": messages})
    totals = document_totals(line.as_line_in() for line in lines)
    if max(totals.net, totals.gross) > MAX_AMOUNT:
        raise ValidationError({"lines": _("Suma dokumentu jest zbyt duża.")})


def lines_replace(*, document: Model, line_model: type[Model], lines: Sequence[LineData]) -> Totals:
    """Replace the document's lines with `lines` (checked first); the totals to store."""
    lines_check(lines)
    line_model._default_manager.filter(document=document).delete()
    rows = []
    for position, line in enumerate(lines, start=1):
        rows.append(
            line_model(
                document=document,
                position=position,
                name=line.name.strip(),
                product_id=line.product_id,
                quantity=line.quantity,
                unit=line.unit.strip(),
                net_price=line.net_price,
                vat_rate=line.vat_rate,
                discount_percent=line.discount_percent,
                net_value=line_net(line.as_line_in()),
                gtu=line.gtu or "",
                pkwiu=line.pkwiu or "",
                **line.extra,
            )
        )
    line_model._default_manager.bulk_create(rows)
    return document_totals(line.as_line_in() for line in lines)
