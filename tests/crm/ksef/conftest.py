from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm.ksef import KsefConfig
from tests.support.fake_ksef import DEFAULT_NIP, DEFAULT_TOKEN, FakeKsef


@pytest.fixture
def fake_ksef() -> Iterator[FakeKsef]:
    """The local KSeF 2.0 stand-in, started for the test and stopped after it."""
    fake = FakeKsef().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def ksef_config(fake_ksef: FakeKsef) -> KsefConfig:
    """The seller's KSeF access, pointed at the fake, polling without waiting."""
    return KsefConfig(nip=DEFAULT_NIP, token=DEFAULT_TOKEN, api_base_url=fake_ksef.url, poll_interval_seconds=0)
