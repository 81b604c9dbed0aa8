"""NIP (Polish tax id) normalisation and checksum."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_SEPARATORS = re.compile(r"[\s\-.]")
_FOREIGN_VAT = re.compile(r"^[A-Z]{2}[0-9A-Z+*]{2,13}$")


def nip_digits(value: str | None) -> str:
    """ "PL 526-000-12-46" -> "5260001246"; other values come back compacted and upper-case."""
    compact = _SEPARATORS.sub("", value or "").upper()
    if compact.startswith("PL") and compact[2:].isascii() and compact[2:].isdigit():
        compact = compact[2:]
    return compact


# The first three digits are a tax office's code: never 0 first, never "x00" (FA(3)'s TNIP pattern).
NIP_OFFICE = re.compile(r"[1-9]((\d[1-9])|([1-9]\d))\d{7}")


def nip_office_ok(digits: str) -> bool:
    return NIP_OFFICE.fullmatch(digits) is not None


def nip_checksum_ok(digits: str) -> bool:
    """10 digits with a tax office prefix KSeF accepts and a right check digit."""
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()) or not nip_office_ok(digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits, NIP_WEIGHTS, strict=False))
    return total % 11 == int(digits[9]) and total % 11 != 10


NIP_OFFICE_MESSAGE = _("Taki NIP nie istnieje: zaczyna się od kodu urzędu skarbowego (nie od 0 ani od cyfry i 00).")


def nip_normalise(value: str | None) -> str:
    """The value to store: 10 digits for a Polish NIP, a compacted EU VAT id for a
    foreign one, "" for empty. Raises ValidationError with a message for people."""
    compact = nip_digits(value)
    if not compact:
        return ""
    if compact.isascii() and compact.isdigit():
        if len(compact) != 10:
            raise ValidationError(_("NIP musi mieć 10 cyfr."), code="nip_length")
        if not nip_office_ok(compact):
            raise ValidationError(NIP_OFFICE_MESSAGE, code="nip_office")
        if not nip_checksum_ok(compact):
            raise ValidationError(_("NIP ma błędną sumę kontrolną — sprawdź cyfry."), code="nip_checksum")
        return compact
    if _FOREIGN_VAT.match(compact):
        return compact
    raise ValidationError(
        _("Podaj NIP (10 cyfr) albo zagraniczny numer VAT z kodem kraju, np. DE123456789."), code="nip_format"
    )


def validate_nip(value: str) -> None:
    nip_normalise(value)
