from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import storages


def _forget_media_root() -> None:
    # django-tenants' storage caches MEDIA_ROOT and does not listen for changes to it.
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores files in its own MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _forget_media_root()
    yield Path(settings.MEDIA_ROOT)
    _forget_media_root()
