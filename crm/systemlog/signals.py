"""A Celery task that fails for a company leaves an event in that company's system log.

Celery sends `task_failure` once a task has given up (a retry sends `task_retry`
instead), still inside the task's company schema (tenant-schemas-celery switches back
only at `task_postrun`). The schema is taken from the task's `_schema_name` header,
or from the connection; tasks of the public schema (the service's own) are left to the
service's logs."""

from __future__ import annotations

from typing import Any

from celery.signals import task_failure
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.app import get_schema_name_from_task

from crm.systemlog.models import SystemEventKind
from crm.systemlog.services import logger, system_event_record
from tenants.db import connection


def _schema_of(task: Any, kwargs: dict[str, Any] | None) -> str:
    try:
        schema = get_schema_name_from_task(task, kwargs or {}) if task is not None else None
    except AttributeError:
        schema = None
    return str(schema or connection.schema_name or "")


def task_failed(
    sender: Any = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    kwargs: dict[str, Any] | None = None,
    **_extra: Any,
) -> None:
    try:
        schema = _schema_of(sender, kwargs)
        if not schema or schema == get_public_schema_name():
            return
        name = getattr(sender, "name", "") or "?"
        error = f"{type(exception).__name__}: {exception}" if exception is not None else ""
        with schema_context(schema):
            system_event_record(
                kind=SystemEventKind.JOB_FAILED,
                message=_("Zadanie w tle %(task)s nie powiodło się: %(error)s") % {"task": name, "error": error[:300]},
                detail={"task": name, "task_id": task_id or "", "error": error[:2000]},
            )
    except Exception:
        logger.exception("system log of a failed task not written")


def connect() -> None:
    task_failure.connect(task_failed, weak=False, dispatch_uid="imcrm_systemlog_task_failure")
