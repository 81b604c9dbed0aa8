from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Each test stores files in its own MEDIA_ROOT (django-tenants' storage caches it)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)
