from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import freezegun
import pytest
import pytest_django.fixtures as pytest_django_fixtures
from django.test import Client

from tenants.db import connection
from tenants.models import Company
from tests.support.cleanup import committed_rows_clean
from tests.support.clients import TenantClient
from tests.support.companies import PASSWORD, Companies, companies_create

# pytest's own clock keeps real time inside freeze_time, so `--durations` (make test prints
# the slowest tests) measures frozen tests too: freezegun's default list names
# "_pytest.runner." with a dot, which misses the module itself, and pytest reads its clock in
# _pytest.timing. Only that module: freezegun looks a few frames up the stack, and a test's
# own frame sits right under _pytest.python's, so "_pytest." would unfreeze the tests.
freezegun.configure(extend_ignore_list=["_pytest.timing"])

pytest_plugins = ["tests.fixtures", "tests.support.live", "tests.support.browser"]

# pytest-django creates the test database only if some collected test asks for `db`;
# a run of only `committed`/live/browser tests would otherwise work on the development
# database (DATABASE_URL) itself. Always set up the default alias.
_databases_for_setup = pytest_django_fixtures._get_databases_for_setup


def _default_database_always(items: Any) -> tuple[set[str], set[str]]:
    aliases, serialized = _databases_for_setup(items)
    return {*aliases, "default"}, serialized


pytest_django_fixtures._get_databases_for_setup = _default_database_always


@pytest.fixture(scope="session")
def companies(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Companies]:
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing to run on a non-test database"
        made = companies_create()
        from tenants.services import pool_fill

        pool_fill(target=2)
    yield made
    with django_db_blocker.unblock():
        _other_sessions_end()


def _other_sessions_end() -> None:
    """Servers and workers the tests started are gone, but PostgreSQL may not have
    noticed every closed connection yet: without this, dropping the test database
    can fail with "being accessed by other users"."""
    import time

    with connection.cursor() as cursor:
        for _ in range(20):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _clean_cache_before_each_test() -> None:
    """Rate-limit counters, hand-off nonces and cached pages start empty in every test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_in_each_test() -> Iterator[None]:
    """Every test starts in the default language (Polish): a test that switches to English
    and does not switch back must not change the messages of the next one in its worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _public_schema_after_each_test() -> Iterator[None]:
    yield
    connection.set_schema_to_public()


@pytest.fixture
def company_a(companies: Companies, db: Any) -> Company:
    return companies.a


@pytest.fixture
def company_b(companies: Companies, db: Any) -> Company:
    return companies.b


@pytest.fixture
def client_a(company_a: Company) -> TenantClient:
    return TenantClient(company_a)


@pytest.fixture
def client_b(company_b: Company) -> TenantClient:
    return TenantClient(company_b)


@pytest.fixture
def public_client(companies: Companies, db: Any) -> Client:
    from django.conf import settings

    client = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN)
    return client


@pytest.fixture
def committed(companies: Companies, django_db_blocker: Any) -> Iterator[Companies]:
    """Database access without the per-test transaction; rows are cleaned afterwards."""
    with django_db_blocker.unblock():
        try:
            yield companies
        finally:
            connection.set_schema_to_public()
            committed_rows_clean()


__all__ = ["PASSWORD", "TenantClient"]


# The longest files first: a worker runs its tests in collection order and an idle worker
# (`--dist worksteal`) takes tests from the end of another's queue, so a long file collected
# last would keep one worker busy while the other waits (under `--dist loadfile` a file runs
# whole on one worker). Sorting is stable: the order inside each file and among the rest is kept.
LONG_FILES_FIRST = (
    "tests/security/test_fuzz_api.py",
    "tests/api/test_schema_contract.py",
    "tests/security/test_fuzz_company_forms_1.py",
    "tests/security/test_fuzz_company_forms_2.py",
    "tests/security/test_fuzz_company_forms_3.py",
    "tests/browser/test_every_page_browser.py",
    "tests/browser/test_every_object_page_browser.py",
    "tests/security/test_fuzz_forms.py",
    "tests/security/test_fuzz_filters.py",
    "tests/security/test_cross_company.py",
)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: index for index, path in enumerate(LONG_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
