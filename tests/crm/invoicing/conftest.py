from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crm.company.crypto import secret_encrypt
from tests.support.fake_ksef import DEFAULT_NIP, DEFAULT_TOKEN, FakeKsef
from tests.support.fake_nbp import FakeNbp


@pytest.fixture
def fake_ksef() -> Iterator[FakeKsef]:
    """The local KSeF 2.0 stand-in (tests/support/fake_ksef.py), started for the test."""
    fake = FakeKsef().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def ksef_on(fake_ksef: FakeKsef, company_settings_a: Callable[..., Any], settings: Any) -> FakeKsef:
    """Company A sends to the fake KSeF: its NIP is the fake's, the token is stored
    encrypted, status checks do not wait."""
    settings.IMCRM_KSEF_POLL_INTERVAL = 0
    company_settings_a(
        tax_id=DEFAULT_NIP,
        street="ul. Długa 5/7",
        postal_code="00-950",
        city="Warszawa",
        ksef_enabled=True,
        ksef_environment="test",
        ksef_api_url=fake_ksef.url,
        ksef_token_encrypted=secret_encrypt(DEFAULT_TOKEN),
        bank_account="PL61109010140000071219812874",
    )
    return fake_ksef


@pytest.fixture
def fake_nbp(settings: Any) -> Iterator[FakeNbp]:
    """The local NBP API stand-in, with the app pointed at it."""
    fake = FakeNbp().start()
    settings.IMCRM_NBP_API_URL = fake.url
    try:
        yield fake
    finally:
        fake.stop()
