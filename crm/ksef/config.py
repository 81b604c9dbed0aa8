"""Where and as whom a company talks to KSeF.

Addresses from the Ministry's KSeF 2.0 documentation (ksef-docs, "Środowiska" and
"Kody weryfikujące QR"): the API of each environment and the host of its verification
links (KOD I).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class KsefEnvironment(StrEnum):
    TEST = "test"  # TE: integration tests, made-up data only
    DEMO = "demo"  # TR: pre-production, same configuration as production
    PRODUCTION = "prod"  # PRD: invoices with legal effect

    @property
    def api_url(self) -> str:
        return _API[self]

    @property
    def qr_url(self) -> str:
        return _QR[self]


_API = {
    KsefEnvironment.TEST: "https://api-test.ksef.mf.gov.pl/v2",
    KsefEnvironment.DEMO: "https://api-demo.ksef.mf.gov.pl/v2",
    KsefEnvironment.PRODUCTION: "https://api.ksef.mf.gov.pl/v2",
}
_QR = {
    KsefEnvironment.TEST: "https://qr-test.ksef.mf.gov.pl",
    KsefEnvironment.DEMO: "https://qr-demo.ksef.mf.gov.pl",
    KsefEnvironment.PRODUCTION: "https://qr.ksef.mf.gov.pl",
}


@dataclass(frozen=True)
class KsefConfig:
    """A company's KSeF access: its NIP (the context), a KSeF token generated for it in the
    KSeF taxpayer application, the environment, and optionally another API base URL
    (a proxy, or the local fake in tests) that overrides the environment's."""

    nip: str
    token: str = field(repr=False)
    environment: KsefEnvironment = KsefEnvironment.TEST
    api_base_url: str = ""
    timeout_seconds: float = 30.0
    poll_interval_seconds: float = 1.0  # between status checks (authentication, invoice)
    poll_attempts: int = 60  # status checks before giving up with KsefTransient

    @property
    def base_url(self) -> str:
        """The API root, ending in /v2 (the SDK appends it when missing)."""
        return (self.api_base_url or self.environment.api_url).rstrip("/")
