"""Run a Celery task once in every ready company schema (beat fan-out).

Beat fires a task in the public schema; that task calls `for_each_company(task)`,
which enqueues `task` once per company with the company's schema in the headers
(tenant-schemas-celery), skipping pooled and not-yet-ready schemas.
"""

from __future__ import annotations

from typing import Any

from django_tenants.utils import tenant_context

from tenants.models import Company


def ready_companies() -> Any:
    return Company.objects.real().filter(is_ready=True)


def for_each_company(task: Any, *args: Any, **kwargs: Any) -> int:
    count = 0
    for company in ready_companies():
        with tenant_context(company):
            task.apply_async(args=args, kwargs=kwargs)
        count += 1
    return count
