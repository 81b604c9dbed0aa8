"""Company data from the Polish public registers by NIP ("Pobierz dane z GUS" on the
customer and lead forms).

A pluggable client: `registry_client()` gives the one configured, or None (then the
forms hide the button). Implemented: the VAT taxpayers' list of the Ministry of Finance
("Biała lista", REST, public, no key: `GET {VAT_WHITELIST_API_BASE}/api/search/nip/{nip}
?date=YYYY-MM-DD`). GUS BIR (REGON, SOAP with a user key) is not implemented yet:
`GUS_API_BASE` is read but no client answers to it. Tests point the base URL at a local
fake server (tests/support/fake_whitelist.py); the client never calls the internet unless
an operator configures the real address (https://wl-api.mf.gov.pl).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.utils import timezone

from crm.contacts.validators import nip_checksum_ok, nip_digits

logger = logging.getLogger(__name__)

TIMEOUT = 8.0
_ADDRESS = re.compile(r"^(?P<street>.*?),?\s*(?P<postal>\d{2}-\d{3})\s+(?P<city>.+)$")


class RegistryError(Exception):
    """The register did not answer usefully (down, refused, malformed answer)."""


@dataclass(frozen=True)
class CompanyData:
    name: str
    tax_id: str
    regon: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    vat_status: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class RegistryClient(Protocol):
    def lookup(self, nip: str) -> CompanyData | None:
        """The company with this NIP (10 digits), None when the register has none."""


def _address(text: str) -> tuple[str, str, str]:
    match = _ADDRESS.match(" ".join((text or "").split()))
    if match is None:
        return (text or "").strip(), "", ""
    return match["street"].strip().rstrip(","), match["postal"], match["city"].strip()


class WhiteListClient:
    """The VAT taxpayers' list (Biała lista) REST API."""

    def __init__(self, base_url: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport

    def lookup(self, nip: str) -> CompanyData | None:
        day = timezone.localdate().isoformat()
        url = f"{self.base_url}/api/search/nip/{nip}"
        try:
            with httpx.Client(timeout=TIMEOUT, transport=self.transport) as client:
                response = client.get(url, params={"date": day}, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise RegistryError(str(exc)) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise RegistryError(f"HTTP {response.status_code}")
        try:
            body: Any = response.json()
            subject = (body.get("result") or {}).get("subject")
        except (ValueError, AttributeError) as exc:
            raise RegistryError("malformed answer") from exc
        if not subject:
            return None
        street, postal, city = _address(subject.get("workingAddress") or subject.get("residenceAddress") or "")
        return CompanyData(
            name=str(subject.get("name") or "").strip(),
            tax_id=str(subject.get("nip") or nip),
            regon=str(subject.get("regon") or ""),
            street=street,
            postal_code=postal,
            city=city,
            vat_status=str(subject.get("statusVat") or ""),
        )


def registry_client() -> RegistryClient | None:
    """The configured register client, or None (no base URL configured)."""
    base = getattr(settings, "VAT_WHITELIST_API_BASE", "") or ""
    if base:
        return WhiteListClient(base)
    return None


def registry_configured() -> bool:
    return registry_client() is not None


def registry_nip_clean(value: str) -> str | None:
    """The 10 digits of a Polish NIP with a right checksum, else None."""
    digits = nip_digits(value)
    return digits if nip_checksum_ok(digits) else None
