from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django_tenants.utils import schema_context

from crm.company.models import CompanySettings


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # django-tenants' storage caches MEDIA_ROOT and does not listen for changes to it.
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def restricted(company_a):
    """Szef switched on "Pracownik sees only their own customers, deals and tasks"."""
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        row.restrict_pracownik_to_own = True
        row.save()
    return True


@pytest.fixture
def in_a(company_a):
    """Run ORM code in company A's schema: `with in_a(): ...`."""
    return lambda: schema_context(company_a.schema_name)


@pytest.fixture(autouse=True)
def _polish():
    """Code called directly (not through a request) speaks the default language,
    whatever an earlier test's request left active in this thread."""
    from django.utils import translation

    with translation.override("pl"):
        yield
