"""The one fixture layer every test can ask for (registered by tests/conftest.py).

People of company A (`alfa`): `szef`, `kierownik`, `pracownik`, `restricted_pracownik`
(the same Pracownik, with the company setting "Pracownik widzi tylko swoich klientów,
szanse i zadania" switched on). `outsider`: the Szef of company B (`beta`).

API clients per rank, `api_szef`, `api_kierownik`, `api_pracownik`,
`api_restricted_pracownik`, `api_outsider`: test clients of the person's company host
that send the person's API token with every request.

Rows are made with the factories in tests/<app>/factories.py, inside the company's schema
(`with in_a(): CustomerFactory(owner=pracownik)`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User
from crm.company.models import CompanySettings
from tenants.models import Company
from tests.crm.accounts.factories import UserFactory
from tests.crm.company.factories import CompanySettingsFactory
from tests.support.clients import TenantClient, api_client_for


def _user(company: Company, email: str) -> User:
    with schema_context(company.schema_name):
        return User.objects.get(email=email)


@pytest.fixture
def szef(company_a: Company) -> User:
    return _user(company_a, "szef@alfa.test")


@pytest.fixture
def pracownik(company_a: Company) -> User:
    return _user(company_a, "pracownik@alfa.test")


@pytest.fixture
def kierownik(company_a: Company) -> User:
    with schema_context(company_a.schema_name):
        return UserFactory(email="kierownik@alfa.test", name="Kamil Kierownik", role=Role.KIEROWNIK)


@pytest.fixture
def restricted_pracownik(company_a: Company, pracownik: User) -> User:
    """The Pracownik of company A, with "Pracownik widzi tylko swoich…" switched on."""
    with schema_context(company_a.schema_name):
        CompanySettingsFactory(restrict_pracownik_to_own=True)
    return pracownik


@pytest.fixture
def outsider(company_b: Company) -> User:
    return _user(company_b, "szef@beta.test")


@pytest.fixture
def api_szef(company_a: Company, szef: User) -> TenantClient:
    return api_client_for(company_a, szef)


@pytest.fixture
def api_kierownik(company_a: Company, kierownik: User) -> TenantClient:
    return api_client_for(company_a, kierownik)


@pytest.fixture
def api_pracownik(company_a: Company, pracownik: User) -> TenantClient:
    return api_client_for(company_a, pracownik)


@pytest.fixture
def api_restricted_pracownik(company_a: Company, restricted_pracownik: User) -> TenantClient:
    return api_client_for(company_a, restricted_pracownik)


@pytest.fixture
def api_outsider(company_b: Company, outsider: User) -> TenantClient:
    return api_client_for(company_b, outsider)


@pytest.fixture
def in_a(company_a: Company) -> Callable[[], Any]:
    """Run ORM code in company A's schema: `with in_a(): ...`."""
    return lambda: schema_context(company_a.schema_name)


@pytest.fixture
def company_settings_a(company_a: Company) -> Callable[..., CompanySettings]:
    """Change company A's settings row: `company_settings_a(allowed_ips="10.0.0.0/8")`."""

    def change(**values: Any) -> CompanySettings:
        with schema_context(company_a.schema_name):
            return CompanySettingsFactory(**values)

    return change


@pytest.fixture
def worker(company_a: Company, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run what a request queues as the worker would (the schema in the task headers), when
    the request's transaction commits: `with worker(): client.post(...)`. A task that asks
    to be retried runs again at once (its countdown is not waited for)."""
    from celery.exceptions import Retry

    from tenants import queue

    def run(task: Any, *args: Any, **kwargs: Any) -> None:
        for retries in range(50):
            try:
                task.apply(args=args, headers={"_schema_name": company_a.schema_name}, retries=retries, throw=True)
                return
            except Retry:
                continue
        raise AssertionError(f"{task.name} asked to be retried 50 times")

    monkeypatch.setattr(queue, "enqueue", run)
    return lambda: django_capture_on_commit_callbacks(execute=True)
