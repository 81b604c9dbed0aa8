"""Exchange rates for invoices in a foreign currency, through a pluggable provider.

Art. 31a of the VAT act: amounts in a foreign currency are converted at the average rate
the NBP published on the last working day before the day the tax obligation arises (for
an invoice here: the sale date). A provider answers "the last rate published before this
day"; the default, `NbpProvider`, asks the NBP web API (JSON):

    GET {base}/exchangerates/rates/{table}/{code}/{start}/{end}/?format=json
    -> {"table": "A", "code": "EUR", "rates": [{"no": "052/A/NBP/2026",
        "effectiveDate": "2026-03-13", "mid": 4.2879}, ...]}

asked for the fourteen days before the sale date and taking the newest rate, so weekends
and holidays need no calendar here (404 means no table in the range). Table A holds the
common currencies, table B the rest (published weekly).

`settings.IMCRM_EXCHANGE_RATE_PROVIDER` names the provider class (dotted path) and
`settings.IMCRM_NBP_API_URL` the NBP API root (a local fake in tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from crm.common.errors import AppError

LOOKBACK_DAYS = 14
TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ExchangeRate:
    currency: str
    rate: Decimal  # PLN for one unit of `currency`
    day: date  # the day the table was published
    table: str  # e.g. "052/A/NBP/2026"


class ExchangeRateUnavailable(AppError):
    """No rate could be had (the service did not answer, or has none): type it in."""


class ExchangeRateProvider(Protocol):
    def rate_before(self, *, currency: str, day: date) -> ExchangeRate:
        """The last rate of `currency` published before `day` (ExchangeRateUnavailable if none)."""
        ...


class NbpProvider:
    """The NBP web API (api.nbp.pl), mid rates of tables A and B."""

    tables = ("A", "B")

    def __init__(self, base_url: str | None = None, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.base_url = (base_url or settings.IMCRM_NBP_API_URL).rstrip("/")
        self.timeout = timeout

    def rate_before(self, *, currency: str, day: date) -> ExchangeRate:
        currency = currency.upper()
        end = day - timedelta(days=1)
        start = end - timedelta(days=LOOKBACK_DAYS)
        try:
            with httpx.Client(timeout=self.timeout, headers={"Accept": "application/json"}) as client:
                for table in self.tables:
                    url = f"{self.base_url}/exchangerates/rates/{table}/{currency}/{start:%Y-%m-%d}/{end:%Y-%m-%d}/"
                    response = client.get(url, params={"format": "json"})
                    if response.status_code in (400, 404):
                        continue  # not in this table (or no table in the range)
                    response.raise_for_status()
                    found = _newest(response.json(), currency)
                    if found is not None:
                        return found
        except (httpx.HTTPError, ValueError) as exc:
            raise ExchangeRateUnavailable(
                _("Nie udało się pobrać kursu z NBP. Wpisz kurs ręcznie albo spróbuj później."), field="exchange_rate"
            ) from exc
        raise ExchangeRateUnavailable(
            _("NBP nie podaje kursu %(currency)s sprzed %(day)s. Wpisz kurs ręcznie.")
            % {"currency": currency, "day": day.strftime("%d.%m.%Y")},
            field="exchange_rate",
        )


def _newest(payload: object, currency: str) -> ExchangeRate | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("rates"), list):
        raise ValueError("unexpected NBP answer")
    best: ExchangeRate | None = None
    for row in payload["rates"]:
        try:
            rate = Decimal(str(row["mid"]))
            day = date.fromisoformat(str(row["effectiveDate"]))
            table = str(row.get("no", ""))
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise ValueError("unexpected NBP rate row") from exc
        if rate <= 0:
            continue
        if best is None or day > best.day:
            best = ExchangeRate(currency=currency, rate=rate, day=day, table=table)
    return best


def exchange_rate_provider() -> ExchangeRateProvider:
    """The configured provider (settings.IMCRM_EXCHANGE_RATE_PROVIDER)."""
    provider_class = import_string(settings.IMCRM_EXCHANGE_RATE_PROVIDER)
    provider: ExchangeRateProvider = provider_class()
    return provider


def exchange_rate_fetch(*, currency: str, sale_date: date) -> ExchangeRate:
    """The rate an invoice of `sale_date` in `currency` uses: the last one published
    before the sale date."""
    return exchange_rate_provider().rate_before(currency=currency, day=sale_date)
