from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


def ratelimit_counters_clear() -> None:
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    for key in client.scan_iter(match="*ratelimit:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Every test starts with untouched per-IP counters (they live in Redis, not in the test transaction)."""
    ratelimit_counters_clear()
    yield
    ratelimit_counters_clear()
