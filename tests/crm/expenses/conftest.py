from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.utils import translation
from django_tenants.utils import schema_context

from tests.crm.contacts.factories import CustomerFactory


def _forget_media_root() -> None:
    # django-tenants' storage caches MEDIA_ROOT and does not listen for changes to it.
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores receipts in its own MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _forget_media_root()
    yield Path(settings.MEDIA_ROOT)
    _forget_media_root()


@pytest.fixture(autouse=True)
def _polish():
    """Code called directly (not through a request) speaks the default language."""
    with translation.override("pl"):
        yield


@pytest.fixture
def customer(company_a, szef):
    """A customer of company A looked after by the Szef."""
    with schema_context(company_a.schema_name):
        return CustomerFactory(owner=szef, name="Hurtownia Śrubex")
