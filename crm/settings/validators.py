"""Validation of company data typed in Settings."""

from __future__ import annotations

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crm.contacts.validators import NIP_OFFICE_MESSAGE, nip_checksum_ok, nip_digits, nip_office_ok

IBAN_LENGTHS = {"PL": 28, "DE": 22, "CZ": 24, "SK": 24, "LT": 20, "GB": 22, "FR": 27, "AT": 20, "NL": 18}
_IBAN_FORMAT = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


# The company's own NIP: the customers' validator (crm.contacts), Polish numbers only (the
# seller on a Polish VAT invoice and in KSeF is identified by a 10-digit NIP).
def nip_normalise(value: str) -> str:
    """Digits only: "PL 123-456-32-18" -> "1234563218"."""
    return nip_digits(value)


def nip_is_valid(value: str) -> bool:
    return nip_checksum_ok(nip_digits(value))


def nip_validate(value: str) -> str:
    digits = nip_digits(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("NIP ma 10 cyfr (np. 123-456-32-18)."), code="nip_format")
    if not nip_office_ok(digits):
        raise ValidationError(NIP_OFFICE_MESSAGE, code="nip_office")
    if not nip_checksum_ok(digits):
        raise ValidationError(_("Ten NIP ma błędną cyfrę kontrolną — sprawdź, czy nie ma literówki."), code="nip_sum")
    return digits


def iban_validate(value: str) -> str:
    """A bank account number as stored: compact IBAN ("PL61109010140000071219812874"). A
    Polish 26-digit NRB is taken as a PL IBAN. Checked by the IBAN checksum (mod 97)."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    if compact.isascii() and compact.isdigit() and len(compact) == 26:
        compact = "PL" + compact
    if not _IBAN_FORMAT.match(compact):
        raise ValidationError(
            _("Podaj numer rachunku: 26 cyfr albo IBAN z kodem kraju, np. PL61 1090 1014 0000 0712 1981 2874."),
            code="iban_format",
        )
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        raise ValidationError(
            _("Numer rachunku %(country)s ma %(length)s znaków (z kodem kraju).")
            % {"country": compact[:2], "length": expected},
            code="iban_length",
        )
    rearranged = compact[4:] + compact[:4]
    if int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 != 1:
        raise ValidationError(
            _("Numer rachunku ma błędną sumę kontrolną — sprawdź, czy nie ma literówki."), code="iban_checksum"
        )
    return compact


def ip_rules_parse(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """One address or CIDR range per line (commas and spaces also separate); '#' starts a comment."""
    rules: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    errors = []
    for raw_line in (text or "").splitlines():
        line = raw_line.split("#", 1)[0]
        for item in re.split(r"[\s,;]+", line):
            if not item:
                continue
            try:
                rules.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                errors.append(item)
    if errors:
        raise ValidationError(
            _("To nie są poprawne adresy IP ani zakresy CIDR: %(items)s") % {"items": ", ".join(errors[:5])},
            code="ip_format",
        )
    return rules


def ip_allowed(ip: str | None, rules: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    if not rules:
        return True
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == rule.version and address in rule for rule in rules)
