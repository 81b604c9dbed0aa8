"""Values of custom fields, checked by type in one place: the forms, the API and the
import call `custom_values_clean`, so a value is stored the same way whatever wrote it.

Stored JSON: text, long_text, url, email, select, date ("YYYY-MM-DD") and decimal
(canonical text, "12.5", exact) as strings; number as an integer; checkbox as a
boolean; multi_select as a list of options. An empty value is not stored (the key
is absent).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from crm.customfields.definitions import FieldDef
from crm.customfields.models import FieldType

TEXT_MAX = 255
LONG_TEXT_MAX = 5000
NUMBER_LIMIT = 10**15
_TRUE = {"true", "1", "tak", "yes", "t", "y", "on", "x"}
_FALSE = {"false", "0", "nie", "no", "n", "off"}


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | tuple) and not raw)


def _text(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise ValidationError(_("Podaj tekst."))
    return str(raw).strip()


def _option(field: FieldDef, raw: Any) -> str:
    text = _text(raw)
    for option in field.options:
        if option.lower() == text.lower():
            return option
    raise ValidationError(
        _("„%(value)s” nie jest jedną z opcji: %(options)s.")
        % {"value": text[:100], "options": ", ".join(field.options)}
    )


def _date(raw: Any) -> str:
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.isoformat()
    text = _text(raw)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            value = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1900 <= value.year <= 2200:
            return value.isoformat()
    raise ValidationError(_("Podaj datę w formacie RRRR-MM-DD."))


def _decimal(raw: Any) -> str:
    if isinstance(raw, bool) or (isinstance(raw, float) and raw != raw):  # NaN
        raise ValidationError(_("Podaj liczbę."))
    text = _text(raw).replace(" ", "").replace("\xa0", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Podaj liczbę.")) from None
    if not value.is_finite() or abs(value) >= NUMBER_LIMIT:
        raise ValidationError(_("Podaj liczbę."))
    return format(value.normalize(), "f")


def _number(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValidationError(_("Podaj liczbę całkowitą."))
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationError(_("Podaj liczbę całkowitą."))
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        text = _text(raw).replace(" ", "").replace("\xa0", "")
        if not re.fullmatch(r"[+-]?\d{1,16}", text):
            raise ValidationError(_("Podaj liczbę całkowitą."))
        value = int(text)
    if abs(value) >= NUMBER_LIMIT:
        raise ValidationError(_("Podaj liczbę całkowitą."))
    return value


def _checkbox(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, str | int) else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(_("Podaj tak albo nie."))


def custom_value_clean(field: FieldDef, raw: Any) -> Any:
    """The stored form of `raw` for `field`, or None when empty; ValidationError otherwise."""
    if field.type == FieldType.CHECKBOX:
        return None if _empty(raw) else _checkbox(raw)
    if _empty(raw):
        return None
    if field.type == FieldType.MULTI_SELECT:
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            raise ValidationError(_("Podaj listę opcji."))
        chosen: list[str] = []
        for item in items:
            if not _empty(item):
                option = _option(field, item)
                if option not in chosen:
                    chosen.append(option)
        return [o for o in field.options if o in chosen] or None
    if field.type == FieldType.SELECT:
        return _option(field, raw)
    if field.type == FieldType.NUMBER:
        return _number(raw)
    if field.type == FieldType.DECIMAL:
        return _decimal(raw)
    if field.type == FieldType.DATE:
        return _date(raw)
    text = _text(raw)
    limit = LONG_TEXT_MAX if field.type == FieldType.LONG_TEXT else TEXT_MAX
    if len(text) > limit:
        raise ValidationError(_("Najwyżej %(limit)s znaków.") % {"limit": limit})
    if field.type == FieldType.URL:
        if "://" not in text:
            text = f"https://{text}"
        URLValidator(schemes=["http", "https"], message=_("Podaj poprawny adres WWW."))(text)
    elif field.type == FieldType.EMAIL:
        text = text.lower()
        EmailValidator(message=_("Podaj poprawny adres e-mail."))(text)
    elif field.type == FieldType.TEXT:
        text = " ".join(text.split())
    return text


def custom_values_clean(
    *, fields: Iterable[FieldDef], data: Mapping[str, Any], current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`current` values with `data` written over them ({key: raw}; an empty raw value
    clears the key), checked by type. ValidationError({key: message}) names each bad
    key: an unknown one, a wrong value, a required field left empty."""
    fields = list(fields)
    by_key = {f.key: f for f in fields}
    result = {k: v for k, v in (current or {}).items() if k in by_key}
    errors: dict[str, str] = {}
    if not isinstance(data, Mapping):
        raise ValidationError(_("Podaj obiekt {klucz: wartość}."))
    for key, raw in data.items():
        field = by_key.get(str(key))
        if field is None:
            errors[str(key)[:60]] = _("Nie ma pola własnego o kluczu „%(key)s”.") % {"key": str(key)[:60]}
            continue
        try:
            value = custom_value_clean(field, raw)
        except ValidationError as exc:
            errors[field.key] = " ".join(exc.messages)
            continue
        if value is None:
            result.pop(field.key, None)
        else:
            result[field.key] = value
    for field in fields:
        if field.required and field.key not in errors and field.key not in result:
            errors[field.key] = _("Pole „%(name)s” jest wymagane.") % {"name": field.name}
    if errors:
        raise ValidationError(errors)
    return {f.key: result[f.key] for f in fields if f.key in result}


def custom_value_display(field: FieldDef, value: Any) -> str:
    """A stored value as a person reads it (cards, list columns, exports)."""
    if value is None or value == "" or value == []:
        return ""
    if field.type == FieldType.CHECKBOX:
        return _("tak") if value else _("nie")
    if field.type == FieldType.MULTI_SELECT and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field.type == FieldType.DATE:
        try:
            return date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    if field.type == FieldType.DECIMAL:
        try:
            return number_format(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    return str(value)


def custom_value_export(field: FieldDef, value: Any) -> Any:
    """A stored value as an export cell, read back the same by the import: numbers as
    numbers, dates as RRRR-MM-DD, yes/no as tak/nie, several options joined with commas."""
    if value is None or value == "" or value == []:
        return ""
    if field.type == FieldType.CHECKBOX:
        return "tak" if value else "nie"
    if field.type == FieldType.MULTI_SELECT and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field.type == FieldType.DECIMAL:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    return value


def custom_export_columns(fields: Iterable[FieldDef]) -> tuple[list[str], Callable[[Any], list[Any]]]:
    """Headers (the fields' names) and a row maker (record -> cells) for an export."""
    fields = list(fields)

    def cells(obj: Any) -> list[Any]:
        values = getattr(obj, "custom_fields", None) or {}
        return [custom_value_export(f, values.get(f.key)) for f in fields]

    return [f.name for f in fields], cells
