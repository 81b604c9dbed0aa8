"""Fixtures shared by the staff, settings and activity-log tests (imported by their conftest.py).
The people, `in_a` and `company_settings_a` live in the one fixture layer, tests/fixtures.py."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
