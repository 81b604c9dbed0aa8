"""The API's rate limit per person (token or session; by address for anonymous calls).

DRF's UserRateThrottle reads its rates once, when it is imported; this one reads
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] on each request, so the limit set in
settings (IMCRM_API_RATE) is the one in force and the one /api/docs/ states."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class PersonRateThrottle(UserRateThrottle):
    scope = "user"

    def get_rate(self) -> str | None:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        rate = rates.get(self.scope) if isinstance(rates, dict) else None
        return str(rate) if rate else None
