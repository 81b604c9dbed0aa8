"""Pooled schemas are ordinary companies to `migrate_schemas` and are fully migrated."""

from __future__ import annotations

from django.db.migrations.loader import MigrationLoader

from tenants.db import connection
from tenants.models import Company, CompanyStatus
from tenants.pool import pool_schema_build
from tenants.template import TEMPLATE_SCHEMA
from tests.support.pool import pool_lock_held


def _rows(sql: str, *params: object) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return set(cursor.fetchall())


def test_a_pooled_schema_has_every_table_and_applied_migration_of_a_migrated_company(companies, db):
    pooled = pool_schema_build()

    tables = "SELECT tablename FROM pg_tables WHERE schemaname = %s"
    assert _rows(tables, pooled.schema_name) == _rows(tables, "c_alfa")
    migrations = 'SELECT app, name FROM "{}".django_migrations'
    applied = _rows(migrations.format(pooled.schema_name))
    assert applied == _rows(migrations.format("c_alfa"))
    tenant_apps = {label for label, _name in applied}
    on_disk = {key for key in MigrationLoader(None, ignore_no_migrations=True).disk_migrations if key[0] in tenant_apps}
    assert applied >= on_disk  # nothing left for a newcomer to wait for


def test_migrate_schemas_covers_pooled_schemas(companies, db, monkeypatch):
    """When new migrations ship, `migrate_schemas` reaches pooled schemas like any company."""
    from django.core.management import call_command
    from django_tenants.migration_executors.standard import StandardExecutor

    own = pool_schema_build()  # signups elsewhere in the run may have drained the session's pool
    reached: list[str] = []
    monkeypatch.setattr(StandardExecutor, "run_migrations", lambda self, tenants=None: reached.extend(tenants or []))
    # new migrations shipped: every schema is behind (tenants/migration_executor.py skips the others)
    monkeypatch.setattr("tenants.migration_executor.applied_behind", lambda schemas, alias=None: dict.fromkeys(schemas))

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0, executor="standard")

    pooled = set(Company.objects.filter(status=CompanyStatus.POOL).values_list("schema_name", flat=True))
    assert own.schema_name in pooled
    assert pooled <= set(reached)
    assert TEMPLATE_SCHEMA not in reached  # the template is rebuilt from its migrations' fingerprint instead


def test_migrate_schemas_leaves_out_a_pool_schema_still_being_built(companies, db, monkeypatch):
    """A pool row is written before its schema exists (a build in progress, or one that
    crashed): `migrate_schemas` must not try to migrate it and fail the deploy."""
    from django.core.management import call_command
    from django_tenants.migration_executors.standard import StandardExecutor

    building = Company(schema_name="pool_0123456789abcdef", name="", status=CompanyStatus.POOL)
    building.auto_create_schema = False
    building.save()
    reached: list[str] = []
    monkeypatch.setattr(StandardExecutor, "run_migrations", lambda self, tenants=None: reached.extend(tenants or []))
    monkeypatch.setattr("tenants.migration_executor.applied_behind", lambda schemas, alias=None: dict.fromkeys(schemas))

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0, executor="standard")

    assert "c_alfa" in reached
    assert building.schema_name not in reached


def _pooled() -> list[Company]:
    return list(Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).order_by("id"))


def test_pool_refill_trims_a_pool_left_above_its_size_back_to_the_target(committed, settings):
    """Racing signups on an empty pool each build a schema and some return it:
    the pool ends above IMCRM_POOL_SIZE. The next refill drops the surplus."""
    from django_tenants.utils import schema_exists

    from tenants.pool import pool_fill, pool_return
    from tenants.tasks import pool_refill

    with pool_lock_held():
        pool_fill(target=1)
        returned = [pool_schema_build(ready=False) for _i in range(2)]
        for company in returned:
            pool_return(company.pk)  # as a signup that lost a race does
        settings.IMCRM_POOL_SIZE = 1
        assert len(_pooled()) == 3

        assert pool_refill() == 0  # nothing built

        left = _pooled()
    assert len(left) == 1
    gone = {c.schema_name for c in returned} - {c.schema_name for c in left}
    assert gone and not any(schema_exists(name) for name in gone)


def test_trimming_skips_a_pooled_schema_that_a_signup_is_claiming(committed, settings):
    import threading

    from django.db import connections, transaction

    from tenants.pool import pool_claim, pool_fill
    from tenants.tasks import pool_refill

    with pool_lock_held():
        pool_fill(target=3)
        pooled = _pooled()
    claimed = pooled[-1]  # the newest: the first the trim would drop
    locked, release, done = threading.Event(), threading.Event(), threading.Event()

    def signup_claiming() -> None:  # holds the row as tenant_provision does mid-transaction
        try:
            with transaction.atomic():
                assert pool_claim(claimed.pk) is not None
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=signup_claiming)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        with pool_lock_held():
            settings.IMCRM_POOL_SIZE = 1
            pool_refill()
            left = {c.pk for c in _pooled()}
    finally:
        release.set()
        thread.join(timeout=30)

    assert claimed.pk in left  # never dropped while claimed
    assert left == {pooled[0].pk, claimed.pk}  # the one being claimed did not count towards the target
