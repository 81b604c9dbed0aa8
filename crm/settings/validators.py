"""Validation of company data typed in Settings."""

from __future__ import annotations

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def nip_normalise(value: str) -> str:
    """Digits only: "PL 123-456-32-18" -> "1234563218"."""
    value = (value or "").strip().upper()
    if value.startswith("PL"):
        value = value[2:]
    return re.sub(r"[\s-]", "", value)


def nip_is_valid(value: str) -> bool:
    digits = nip_normalise(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    checksum = sum(int(d) * w for d, w in zip(digits, NIP_WEIGHTS, strict=False)) % 11
    return checksum != 10 and checksum == int(digits[9])


def nip_validate(value: str) -> str:
    digits = nip_normalise(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("NIP ma 10 cyfr (np. 123-456-32-18)."), code="nip_format")
    if not nip_is_valid(digits):
        raise ValidationError(_("Ten NIP ma błędną cyfrę kontrolną — sprawdź, czy nie ma literówki."), code="nip_sum")
    return digits


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
