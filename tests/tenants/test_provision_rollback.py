"""A failure after the schema is claimed and renamed leaves nothing behind, for real:
committed transactions, not the test's wrapping one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django_tenants.utils import schema_exists

from tenants import services
from tenants.db import connection
from tenants.models import Company, CompanyStatus, Domain
from tenants.pool import pool_fill, pool_size
from tenants.setup import company_setup_step, company_setup_step_remove
from tests.public_site.helpers import GOOD_PASSWORD, unique_subdomain
from tests.support.pool import pool_lock_held


class Injected(RuntimeError):
    pass


@pytest.fixture
def failing_after_claim() -> Iterator[list[str]]:
    """Makes provisioning fail inside its transaction, after the rename, the company
    row, the domain and the Szef exist; records the schema that was renamed."""
    seen: list[str] = []

    def explode(*, company: Company, **kwargs: object) -> None:
        seen.append(company.schema_name)
        assert schema_exists(company.schema_name)  # renamed already, inside the transaction
        raise Injected("injected failure")

    company_setup_step("test-rollback-explode", explode, order=1000)
    try:
        yield seen
    finally:
        company_setup_step_remove("test-rollback-explode")


def _pooled_schemas() -> set[str]:
    return set(Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).values_list("schema_name", flat=True))


def _users_in(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".accounts_user')
        return int(cursor.fetchone()[0])


def test_failure_after_claim_leaves_no_company_domain_schema_or_user_and_the_schema_returns_to_the_pool(
    committed, failing_after_claim
):
    pool_fill(target=2)
    pooled_before = _pooled_schemas()
    sub = unique_subdomain("awaria")

    with pytest.raises(services.ProvisioningError) as caught:
        services.tenant_provision(name="Awaria", subdomain=sub, email="szef@awaria.test", password=GOOD_PASSWORD)

    assert caught.value.message == "Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę."
    assert failing_after_claim == ["c_" + sub.replace("-", "_")]
    assert not Company.objects.filter(subdomain=sub).exists()
    assert not Domain.objects.filter(domain=f"{sub}.{settings.IMCRM_BASE_DOMAIN}").exists()
    assert not schema_exists("c_" + sub.replace("-", "_"))
    assert _pooled_schemas() == pooled_before
    for schema in pooled_before:
        assert schema_exists(schema)
        assert _users_in(schema) == 0


def test_failure_with_an_empty_pool_leaves_nothing_but_a_ready_schema_for_the_next_signup(
    committed, failing_after_claim
):
    Company.objects.filter(status=CompanyStatus.POOL).update(is_ready=False)  # nothing to claim: the slow path
    try:
        sub = unique_subdomain("awaria-pusta")

        with pytest.raises(services.ProvisioningError):
            services.tenant_provision(name="Awaria", subdomain=sub, email="szef@awaria.test", password=GOOD_PASSWORD)

        assert not Company.objects.filter(subdomain=sub).exists()
        assert not schema_exists("c_" + sub.replace("-", "_"))
        assert pool_size() == 1  # the schema built for this signup joined the pool, empty
        built = Company.objects.get(status=CompanyStatus.POOL, is_ready=True)
        assert _users_in(built.schema_name) == 0
    finally:
        Company.objects.filter(status=CompanyStatus.POOL).update(is_ready=True)


def test_an_empty_pool_means_the_slow_path_never_a_failure(committed):
    Company.objects.filter(status=CompanyStatus.POOL).update(is_ready=False)
    try:
        sub = unique_subdomain("bez-puli")
        result = services.tenant_provision(
            name="Bez puli", subdomain=sub, email="szef@bez.test", password=GOOD_PASSWORD
        )

        assert result.from_pool is False
        assert Company.objects.get(subdomain=sub).schema_name == "c_" + sub.replace("-", "_")
        assert pool_size() == 0  # built for this signup, claimed by it, not left in the pool
    finally:
        Company.objects.filter(status=CompanyStatus.POOL).update(is_ready=True)


def test_a_signup_claims_a_pooled_schema(committed):
    pool_fill(target=1)
    pooled_before = _pooled_schemas()
    sub = unique_subdomain("z-puli")

    result = services.tenant_provision(name="Z puli", subdomain=sub, email="szef@z-puli.test", password=GOOD_PASSWORD)

    assert result.from_pool is True
    assert pool_size() == len(pooled_before) - 1


def test_pool_refill_tops_the_pool_up_to_its_size_and_a_second_filler_does_not_overfill(committed, settings):
    import threading

    from django.db import connections

    from tenants.tasks import pool_refill

    answers: list[int] = []

    def refill_elsewhere() -> None:  # its own connection, like another worker process
        try:
            answers.append(pool_refill())
        finally:
            connections.close_all()

    with pool_lock_held():  # this session is "the filler"; sized while nobody else fills
        settings.IMCRM_POOL_SIZE = pool_size() + 1
        thread = threading.Thread(target=refill_elsewhere)
        thread.start()
        thread.join(timeout=30)

        assert answers == [0]  # somebody else was filling: it returned at once
        assert pool_refill() == 1  # the filler itself tops the pool up
        assert pool_size() == settings.IMCRM_POOL_SIZE
