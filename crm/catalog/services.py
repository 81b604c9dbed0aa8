"""Writes of the catalogue (pages and the API call these): Szef and Kierownik add and
change products; a product is deactivated, not deleted, so documents that name it keep
their link (their lines keep their own copy of name, unit, price and VAT anyway)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.catalog.models import GTU_CHOICES, Product
from crm.catalog.selectors import product_manage_check
from crm.documents.totals import VatRate

EDITABLE_FIELDS = ("name", "unit", "net_price", "vat_rate", "currency", "gtu", "pkwiu", "description", "active")
MAX_PRICE = Decimal("999999999999.99")
GTU_CODES = {code for code, _label in GTU_CHOICES}


def product_rules_check(product: Product) -> None:
    """A ValidationError per field, in the user's language, when the product breaks a rule."""
    errors: dict[str, str] = {}
    if not (product.name or "").strip():
        errors["name"] = _("Podaj nazwę produktu lub usługi.")
    if not (product.unit or "").strip():
        errors["unit"] = _("Podaj jednostkę, np. szt., godz., usł.")
    if product.net_price is None or product.net_price < 0:
        errors["net_price"] = _("Cena netto nie może być ujemna.")
    elif product.net_price > MAX_PRICE:
        errors["net_price"] = _("Cena jest zbyt duża.")
    if product.vat_rate not in VatRate.values:
        errors["vat_rate"] = _("Wybierz stawkę VAT z listy.")
    currency = product.currency or ""
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha() or not currency.isupper():
        errors["currency"] = _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")
    if product.gtu and product.gtu not in GTU_CODES:
        errors["gtu"] = _("Wybierz kod GTU z listy.")
    if errors:
        raise ValidationError(errors)


def _shown(product: Product) -> dict[str, str]:
    return {name: str(getattr(product, name)) for name in EDITABLE_FIELDS}


def _clean(product: Product) -> None:
    product.name = (product.name or "").strip()
    product.unit = (product.unit or "").strip()
    product.pkwiu = (product.pkwiu or "").strip()
    product.currency = (product.currency or "").strip().upper()


@transaction.atomic
def product_create(
    *,
    actor: User | None,
    name: str,
    net_price: Decimal,
    unit: str = "szt.",
    vat_rate: str = VatRate.R23,
    currency: str = "PLN",
    gtu: str = "",
    pkwiu: str = "",
    description: str = "",
    active: bool = True,
) -> Product:
    if actor is not None:
        product_manage_check(actor)
    product = Product(
        name=name,
        unit=unit,
        net_price=net_price,
        vat_rate=vat_rate,
        currency=currency,
        gtu=gtu or "",
        pkwiu=pkwiu or "",
        description=description or "",
        active=active,
    )
    _clean(product)
    product_rules_check(product)
    product.save()
    activity_record(
        actor=actor, kind=ActivityKind.CREATE, obj=product, code="product.created", params={"name": product.name}
    )
    return product


@transaction.atomic
def product_update(*, product: Product, actor: User | None, **changes: Any) -> Product:
    """Change any of EDITABLE_FIELDS (`active` False deactivates: the product leaves the picker)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"product_update got unknown fields: {sorted(unknown)}")
    if actor is not None:
        product_manage_check(actor)
    before = _shown(product)
    for name, value in changes.items():
        setattr(product, name, "" if value is None and name in ("gtu", "pkwiu", "description") else value)
    _clean(product)
    product_rules_check(product)
    product.save()
    changed = field_changes(before, _shown(product))
    if changed:
        only_active = [c["field"] for c in changed] == ["active"]
        if only_active:
            code = "product.activated" if product.active else "product.deactivated"
            activity_record(
                actor=actor, kind=ActivityKind.UPDATE, obj=product, code=code, params={"name": product.name}
            )
        else:
            params = {"name": product.name, "changes": changed}
            activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=product, code="product.updated", params=params)
    return product


def product_set_active(*, product: Product, actor: User | None, active: bool) -> Product:
    return product_update(product=product, actor=actor, active=active)
