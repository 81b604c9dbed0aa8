"""Dates and numbers that come from outside: a query parameter, a URL, a form, an API body.

`datetime` holds years 1 to 9999, but one day or one time zone past either end
raises OverflowError, and a year-1 time in Warsaw is stored by PostgreSQL as a
BC timestamp that cannot be read back. Every date people or programs send must
therefore fall within `DATE_MIN`..`DATE_MAX`; anything else is refused with a
message in the user's language (a 400 or a form error), never a 500. Likewise
an integer parameter is plain ASCII digits within 64 bits: `str.isdigit()` also
accepts "²" (which `int()` refuses) and 5,000 digits (which `int()` refuses too).

Use `date_param` / `id_param` / `is_int_text` for raw strings, `DateField` / `DateTimeField`
in forms, `ApiDateField` / `ApiDateTimeField` in serializers (`crm.common.api`
maps model dates to them).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)
INT_MAX = 2**63 - 1  # PostgreSQL bigint

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DIGITS = re.compile(r"^\d{1,19}$", re.ASCII)

DATE_FORMAT_MESSAGE = _("Podaj datę w formacie RRRR-MM-DD.")
DATE_RANGE_MESSAGE = _("Podaj datę z lat %(min)s–%(max)s.")
INT_MESSAGE = _("Podaj liczbę całkowitą.")


def date_check(value: date | datetime | None) -> None:
    """Validator: refuses a date (or a date and time) outside DATE_MIN..DATE_MAX."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise _range_error()


def date_param(raw: str | None) -> date | None:
    """A YYYY-MM-DD parameter: None when missing or empty, else a date within range.
    Raises ValidationError (with a message for people) for anything else."""
    text = (raw or "").strip()
    if not text:
        return None
    if not _ISO_DATE.match(text):
        raise ValidationError(DATE_FORMAT_MESSAGE, code="invalid")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(DATE_FORMAT_MESSAGE, code="invalid") from None
    date_check(value)
    return value


def is_int_text(text: str) -> bool:
    """ASCII digits only, and few enough for a 64-bit integer."""
    return bool(_DIGITS.match(text)) and int(text) <= INT_MAX


def id_param(raw: Any) -> int | None:
    """A row id from a query parameter: None when missing or empty; 0 (which no row
    has) for digits beyond 64 bits. Raises ValidationError for anything but ASCII digits."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(INT_MESSAGE, code="invalid")
    return int(text) if is_int_text(text) else 0


def id_or_none(raw: Any) -> int | None:
    """`id_param` for pages that ignore a malformed id: None instead of an error."""
    try:
        return id_param(raw)
    except ValidationError:
        return None


def _range_error() -> ValidationError:
    return ValidationError(DATE_RANGE_MESSAGE, code="date_range", params={"min": DATE_MIN.year, "max": DATE_MAX.year})


class DateField(forms.DateField):
    """A form date within DATE_MIN..DATE_MAX."""

    default_validators = [date_check]


class DateTimeField(forms.DateTimeField):
    """A form date and time within DATE_MIN..DATE_MAX."""

    default_validators = [date_check]

    def to_python(self, value: Any) -> datetime | None:
        try:
            return super().to_python(value)
        except OverflowError:  # a time zone moved it past year 1 or 9999
            raise _range_error() from None


def _api_checked(value: Any) -> Any:
    try:
        date_check(value)
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None
    return value


class ApiDateField(serializers.DateField):
    """An API date within DATE_MIN..DATE_MAX."""

    def to_internal_value(self, value: Any) -> date:
        return _api_checked(super().to_internal_value(value))


class ApiDateTimeField(serializers.DateTimeField):
    """An API date and time within DATE_MIN..DATE_MAX."""

    def to_internal_value(self, value: Any) -> datetime:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:  # DRF checks the time zone by converting, which can overflow
            raise serializers.ValidationError(_range_error().messages) from None
        return _api_checked(parsed)
