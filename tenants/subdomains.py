"""Free addresses to offer when the one a person typed cannot be used."""

from __future__ import annotations

from tenants.services import subdomain_availability
from tenants.validators import SUBDOMAIN_MAX, SUBDOMAIN_MIN, normalise_subdomain, suggest_subdomain

ALTERNATIVES = 2
_ENDINGS = ("pl", "crm", "firma", "biuro")


def _candidates(base: str, company_name: str) -> list[str]:
    from_name = suggest_subdomain(company_name)
    names = [from_name, base] if from_name and from_name != base else [base]
    out: list[str] = []
    for name in names:
        out.append(name)
        room = SUBDOMAIN_MAX - 6
        out.extend(f"{name[:room].rstrip('-')}-{ending}" for ending in _ENDINGS)
    out.extend(f"{base[: SUBDOMAIN_MAX - 3].rstrip('-')}-{n}" for n in range(2, 10))
    return out


def subdomain_alternatives(subdomain: str, *, company_name: str = "", count: int = ALTERNATIVES) -> list[str]:
    """Up to `count` free addresses close to `subdomain` (or made from `company_name`):
    'alfa' taken -> ['alfa-pl', 'alfa-crm']; 'Zła Nazwa' -> ['zla-nazwa', ...]."""
    base = suggest_subdomain(normalise_subdomain(subdomain)) or suggest_subdomain(company_name)
    if not base:
        return []
    if len(base) < SUBDOMAIN_MIN:
        base = f"{base}-crm"
    wanted = normalise_subdomain(subdomain)
    found: list[str] = []
    for candidate in _candidates(base, company_name):
        if candidate == wanted or candidate in found:
            continue
        if subdomain_availability(candidate) is None:
            found.append(candidate)
            if len(found) == count:
                break
    return found
