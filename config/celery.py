"""Celery app that carries the tenant schema in every task's headers.

tenant-schemas-celery adds `_schema_name` to the headers of a task sent while a
company schema is active and switches the worker's connection to that schema
before the task runs (and back afterwards).

A task that arrives with no `_schema_name` header at all (sent by a foreign
producer, a hand-written `send_task`, an old message) would otherwise run in
`public` without anyone noticing. `SchemaGuardedTask` refuses to run it, with a
clear log line, unless the task is public by design: it sets `public_ok = True`,
or its name is in `PUBLIC_TASK_PREFIXES` (the service's own tasks in `tenants.*`,
beat fan-outs, Celery's built-ins).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from tenant_schemas_celery.app import CeleryApp, get_schema_name_from_task
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger("imcrm.celery")

PUBLIC_TASK_PREFIXES = ("tenants.", "celery.")


class SchemaHeaderMissing(RuntimeError):
    """A company task arrived without the `_schema_name` header: it is not run."""


def task_is_public_ok(task: Any) -> bool:
    return bool(getattr(task, "public_ok", False)) or (task.name or "").startswith(PUBLIC_TASK_PREFIXES)


class SchemaGuardedTask(TenantTask):
    abstract = True
    public_ok = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not task_is_public_ok(self) and not get_schema_name_from_task(self, kwargs):
            logger.error(
                "task %s[%s] arrived without a _schema_name header; refusing to run it in the public schema",
                self.name,
                getattr(self.request, "id", None),
            )
            raise SchemaHeaderMissing(f"{self.name}: no _schema_name header, refusing to run in public")
        return super().__call__(*args, **kwargs)


class ImcrmCeleryApp(CeleryApp):
    task_cls = "config.celery:SchemaGuardedTask"

    def send_task(self, name: str, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        """Fail in under a second when Redis is down or hung, instead of after several
        socket timeouts: every `.delay()` in a request stays prompt (tenants/queue.py)."""
        from kombu.exceptions import OperationalError

        from tenants.queue import broker_answers

        if not broker_answers():
            raise OperationalError(f"broker does not answer; {name} not sent")
        return super().send_task(name, args=args, kwargs=kwargs, **options)


app = ImcrmCeleryApp("imcrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
