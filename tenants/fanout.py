"""Run a Celery task once in every ready company schema (beat fan-out).

Beat fires a task in the public schema; that task calls `for_each_company(task)`, which
enqueues `task` once per company with the company's schema in the headers
(tenant-schemas-celery), skipping pooled and not-yet-ready schemas.

With many companies the scheduler must not push one message per company itself (10,000
pushes a minute hold the beat task for minutes): above `FANOUT_CHUNK` companies it pushes one
`tenants.fanout_chunk` message per chunk of schema names, and workers enqueue the per-company
tasks of their chunk in parallel (bench/scale.py measures the scheduler's share).
"""

from __future__ import annotations

from typing import Any

from celery import current_app, shared_task
from django_tenants.utils import tenant_context

from tenants.models import Company

FANOUT_CHUNK = 500


def ready_companies() -> Any:
    return Company.objects.real().filter(is_ready=True)


def _enqueue_each(task: Any, companies: Any, args: Any, kwargs: Any) -> int:
    count = 0
    for company in companies:
        with tenant_context(company):
            task.apply_async(args=args, kwargs=kwargs)
        count += 1
    return count


def for_each_company(task: Any, *args: Any, **kwargs: Any) -> int:
    """Enqueue `task` in every ready company; returns how many companies it reaches."""
    schemas = list(ready_companies().order_by("id").values_list("schema_name", flat=True))
    if len(schemas) <= FANOUT_CHUNK:
        return _enqueue_each(task, ready_companies().filter(schema_name__in=schemas), args, kwargs)
    for start in range(0, len(schemas), FANOUT_CHUNK):
        fanout_chunk.apply_async(args=[task.name, schemas[start : start + FANOUT_CHUNK], list(args), kwargs])
    return len(schemas)


def task_by_name(name: str) -> Any:
    return current_app.tasks[name]


@shared_task(name="tenants.fanout_chunk", public_ok=True)
def fanout_chunk(task_name: str, schemas: list[str], args: list[Any], kwargs: dict[str, Any]) -> int:
    """One chunk of a fan-out: `task_name` once in each of `schemas` still ready."""
    task = task_by_name(task_name)
    return _enqueue_each(task, ready_companies().filter(schema_name__in=schemas).order_by("id"), args, kwargs)
