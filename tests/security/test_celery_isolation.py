"""Celery tasks run in the company that queued them, fan-outs visit every company in
its own schema, and a task without a schema header refuses to run."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from celery import Celery
from django.conf import settings
from django_tenants.utils import schema_context

from config.celery import SchemaHeaderMissing, app
from tenants.db import connection
from tenants.fanout import for_each_company
from tests.security.worker import QUEUE


@app.task(name="tests.eager_customer_add", bind=False)
def _eager_customer_add(name: str) -> str:
    from crm.contacts.models import Customer

    Customer.objects.create(name=name)
    return str(connection.schema_name)


def _apply_without_schema_header(task: Any, *args: Any) -> Any:
    """What a foreign producer would send: the task with no `_schema_name` header."""
    from celery.app.task import Task

    return Task.apply(task, args=args, headers={})


def test_task_without_schema_header_is_refused_and_touches_no_table(company_a, caplog):
    from crm.contacts.models import Customer

    result = _apply_without_schema_header(_eager_customer_add, "bez-naglowka")

    assert result.failed()
    assert isinstance(result.result, SchemaHeaderMissing)
    assert "without a _schema_name header" in caplog.text
    with schema_context(company_a.schema_name):
        assert not Customer.objects.filter(name="bez-naglowka").exists()


def test_same_task_with_the_schema_header_runs_in_that_company(company_a):
    from crm.contacts.models import Customer

    with schema_context(company_a.schema_name):
        result = _eager_customer_add.apply(args=("z-naglowkiem",))
        assert Customer.objects.filter(name="z-naglowkiem").exists()
    assert result.get() == "c_alfa"


def test_public_tasks_of_the_service_still_run_without_a_header():
    from tenants.tasks import current_schema

    result = _apply_without_schema_header(current_schema)

    assert result.successful()
    assert result.get() == "public"


def test_every_task_of_the_app_uses_the_guarded_task_class():
    from config.celery import SchemaGuardedTask, task_is_public_ok

    app.loader.import_default_modules()
    company_tasks = [t for name, t in app.tasks.items() if not task_is_public_ok(t)]
    assert company_tasks, "no company task registered"
    for task in company_tasks:
        assert isinstance(task, SchemaGuardedTask), task.name


# --- with a real worker ----------------------------------------------------------------


def _send_raw(name: str, *args: Any) -> Any:
    """Publish through plain Celery.send_task: no tenant header is added."""
    return Celery.send_task(app, name, args=args, queue=QUEUE, headers={})


def test_worker_refuses_a_company_task_that_arrives_without_schema_header(worker_factory):
    worker = worker_factory("guard").start()
    result = _send_raw("tests.schema_probe", "probe:no-header")

    with pytest.raises(SchemaHeaderMissing):
        result.get(timeout=30)
    assert redis.Redis.from_url(settings.REDIS_URL).llen("probe:no-header") == 0
    worker.stop()
    log = worker.log.name and open(worker.log.name, encoding="utf-8", errors="replace").read()  # noqa: SIM115
    assert "refusing to run it in the public schema" in log


def test_beat_fan_out_runs_the_task_once_in_each_company_schema(committed, worker_factory):
    from tenants.fanout import ready_companies
    from tests.security import worker_tasks

    r = redis.Redis.from_url(settings.REDIS_URL)
    r.delete("probe:fanout")
    worker = worker_factory("fanout").start()
    with schema_context(committed.a.schema_name):
        from crm.contacts.models import Customer

        Customer.objects.create(name="tylko alfa")
    expected = sorted(c.schema_name for c in ready_companies())
    assert len(expected) >= 2

    sent = for_each_company(worker_tasks.schema_probe, "probe:fanout")
    deadline = time.monotonic() + 30
    while r.llen("probe:fanout") < sent and time.monotonic() < deadline:
        time.sleep(0.2)
    seen = sorted(x.decode() for x in r.lrange("probe:fanout", 0, -1))
    worker.stop()

    assert sent == len(expected)
    assert [s.split(":")[0] for s in seen] == expected
    assert "c_alfa:1" in seen and "c_beta:0" in seen
