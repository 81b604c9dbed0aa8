"""The pool of ready company schemas.

Building a schema with every CRM table takes about a second, so it is done
ahead of time: pooled schemas are `Company` rows with status `pool` (so
`migrate_schemas` keeps them current like any company), built by replaying the
template (`tenants/template.py`). Signup claims one with
`SELECT ... FOR UPDATE SKIP LOCKED`; a Celery task (`tenants.pool_refill`) tops
the pool up after each claim, and trims it back when it holds more than the target.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tenants.db import connection
from tenants.models import Company, CompanyStatus

logger = logging.getLogger(__name__)

POOL_LOCK = "imcrm_pool_fill"
STALE_BUILD_AFTER = timedelta(minutes=30)


def pool_schema_build(*, ready: bool = True) -> Company:
    """Build one migrated, unassigned schema. Leaves nothing behind on failure.

    With `ready=False` the schema is built for the caller alone: other signups
    claim only ready rows, so nobody can take it before the caller claims it by id.
    """
    from tenants import template  # local: imports management machinery

    connection.set_schema_to_public()
    company = Company(schema_name=f"pool_{secrets.token_hex(8)}", name="", status=CompanyStatus.POOL)
    company.auto_create_schema = False
    company.save()
    try:
        template.schema_build(company.schema_name)
        if ready:
            Company.objects.filter(pk=company.pk).update(is_ready=True)
            company.is_ready = True
    except BaseException:
        logger.exception("building pool schema %s failed", company.schema_name)
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
        Company.objects.filter(pk=company.pk).delete()
        raise
    return company


def pool_size() -> int:
    return Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).count()


def _pooled_schema_drop(company_id: int, *, ready: bool) -> bool:
    """Drop one pooled schema and its row in one transaction, unless a signup holds
    the row (claiming it: FOR UPDATE SKIP LOCKED) or it left the pool meanwhile."""
    with transaction.atomic():
        company = (
            Company.objects.select_for_update(skip_locked=True)
            .filter(pk=company_id, status=CompanyStatus.POOL, is_ready=ready)
            .first()
        )
        if company is None:
            return False
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
        Company.objects.filter(pk=company.pk).delete()
    return True


def _pool_stale_drop() -> int:
    """Drop pool rows a crashed process left half-built (never ready, old)."""
    stale = Company.objects.filter(
        status=CompanyStatus.POOL, is_ready=False, created_at__lt=timezone.now() - STALE_BUILD_AFTER
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(stale) if _pooled_schema_drop(pk, ready=False))


def pool_trim(*, target: int) -> int:
    """Drop ready pooled schemas beyond `target` (racing signups that built schemas
    of their own and then returned them can leave more than the target); returns how
    many were dropped. Call it under the pool's advisory lock (`pool_fill` does).

    Rows a signup is claiming right now are locked: they are neither counted (they are
    leaving the pool) nor dropped. The newest go first; signups claim the oldest.
    """
    with transaction.atomic():
        free = list(
            Company.objects.select_for_update(skip_locked=True)
            .filter(status=CompanyStatus.POOL, is_ready=True)
            .order_by("id")
            .values_list("pk", flat=True)
        )
    surplus = free[max(target, 0) :]
    dropped = sum(1 for pk in reversed(surplus) if _pooled_schema_drop(pk, ready=True))
    if dropped:
        logger.info("pool trimmed by %s to the target of %s", dropped, target)
    return dropped


def pool_fill(*, target: int, wait: bool = True) -> int:
    """Build schemas until `target` are ready, or drop the surplus beyond it;
    returns how many were built.

    One filler at a time (a PostgreSQL advisory lock): with `wait=False` a second
    caller (a refill task queued by each signup) returns 0 at once instead of
    building more than the target.
    """
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [POOL_LOCK])
        else:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [POOL_LOCK])
            if not cursor.fetchone()[0]:
                return 0
    try:
        _pool_stale_drop()
        pool_trim(target=target)
        built = 0
        while pool_size() < target:
            pool_schema_build()
            built += 1
        return built
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [POOL_LOCK])


def pool_claim(reserved_id: int | None = None) -> Company | None:
    pool = Company.objects.select_for_update(skip_locked=True).filter(status=CompanyStatus.POOL)
    if reserved_id is not None:
        return pool.filter(pk=reserved_id).first()
    return pool.filter(is_ready=True).order_by("id").first()


def pool_return(company_id: int) -> None:
    """A schema built for a signup that then failed joins the pool for the next one."""
    Company.objects.filter(pk=company_id, status=CompanyStatus.POOL).update(is_ready=True)
