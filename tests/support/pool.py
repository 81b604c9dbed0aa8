"""Holding the pool's advisory lock in a test.

The session's Celery worker (tests/support/live.py) runs the `tenants.pool_refill`
tasks that earlier signups queued, towards the test settings' IMCRM_POOL_SIZE. A test
that sizes the pool itself holds the lock meanwhile: the worker's refill then returns
at once, while this test's own `pool_fill`/`pool_refill` calls still get the lock
(PostgreSQL advisory locks are re-entrant within one session)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tenants.db import connection
from tenants.pool import POOL_LOCK


@contextmanager
def pool_lock_held() -> Iterator[None]:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [POOL_LOCK])
    try:
        yield
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [POOL_LOCK])
