from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.systemlog import system_events_clear


@pytest.fixture(autouse=True)
def _no_events_from_other_tests(companies: Any, django_db_blocker: Any) -> Iterator[None]:
    """Events written inside a transaction are committed at once (a connection of their
    own): they outlive the test's rollback, so each test here starts and ends without any."""
    with django_db_blocker.unblock():
        system_events_clear()
    yield
    with django_db_blocker.unblock():
        system_events_clear()
