"""Fixtures shared by the staff, settings and activity-log tests (imported by their conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User
from crm.company.models import CompanySettings


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def in_a(company_a: Any) -> Callable[[], Any]:
    """Run ORM code in company A's schema: `with in_a(): ...`."""
    return lambda: schema_context(company_a.schema_name)


@pytest.fixture
def kierownik(company_a: Any) -> User:
    with schema_context(company_a.schema_name):
        return User.objects.create_user(
            "kierownik@alfa.test", "Haslo-testowe-123", name="Kamil Kierownik", role=Role.KIEROWNIK
        )


@pytest.fixture
def company_settings_a(company_a: Any) -> Callable[..., CompanySettings]:
    """Change company A's settings row: `company_settings_a(allowed_ips="10.0.0.0/8")`."""

    def change(**values: Any) -> CompanySettings:
        with schema_context(company_a.schema_name):
            row = CompanySettings.current()
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            return row

    return change
