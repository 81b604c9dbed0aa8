from __future__ import annotations

import pytest
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # django-tenants' storage caches MEDIA_ROOT and does not listen for changes to it.
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture(autouse=True)
def _polish():
    """Code called directly (not through a request) speaks the default language,
    whatever an earlier test's request left active in this thread."""
    from django.utils import translation

    with translation.override("pl"):
        yield
