"""`migrate_schemas` over the companies whose schema is there to migrate.

A pool row is written before its schema is built (so a crashed build can be found and
dropped, `tenants.pool._pool_stale_drop`): while a build runs, or after a crash, the row
names a schema that does not exist yet or is half-made. django-tenants would try to
migrate it and fail the whole deploy. Its executor is chosen through
`settings.GET_EXECUTOR_FUNCTION`, which points here: the same executor, minus those rows.
A schema being built comes from the template, which is migrated to the latest state.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from django_tenants.migration_executors import get_executor
from django_tenants.migration_executors.base import MigrationExecutor
from django_tenants.utils import get_public_schema_name

from tenants.models import Company, CompanyStatus

logger = logging.getLogger(__name__)


def schemas_to_migrate(tenants: Iterable[str] | None) -> list[str]:
    """`tenants` in their order, without pool schemas that are not built yet."""
    names = list(tenants or [])
    if not [name for name in names if name != get_public_schema_name()]:
        return names  # the public schema alone: the companies table may not exist yet
    building = set(
        Company.objects.filter(status=CompanyStatus.POOL, is_ready=False, schema_name__in=names).values_list(
            "schema_name", flat=True
        )
    )
    if building:
        logger.info("migrate_schemas: leaving out %d pool schemas still being built", len(building))
    return [name for name in names if name not in building]


@functools.cache
def executor_get(codename: str | None = None) -> type[MigrationExecutor]:
    base: Any = get_executor(codename)

    class Executor(base):
        def run_migrations(self, tenants: Iterable[str] | None = None) -> None:
            super().run_migrations(tenants=schemas_to_migrate(tenants))

    Executor.__name__ = Executor.__qualname__ = f"Ready{base.__name__}"
    return Executor
