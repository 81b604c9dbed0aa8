from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Archives and uploaded files of these tests go to a folder of their own. The tenant
    storage caches the folder it derived from MEDIA_ROOT (django-tenants clears it only
    when MULTITENANT_RELATIVE_MEDIA_ROOT changes), so it is dropped on both sides."""
    storages["default"].__dict__.pop("relative_media_root", None)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    storages["default"].__dict__.pop("relative_media_root", None)
