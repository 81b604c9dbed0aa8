"""A Celery worker killed with SIGKILL in the middle of a task: the task runs again
(acks_late + reject_on_worker_lost, the message was never acknowledged), in the same
company schema, and its effect happens exactly once (the task is idempotent)."""

from __future__ import annotations

import secrets
import time

import redis
from django.conf import settings
from django_tenants.utils import schema_context

from tests.security.worker_tasks import effect_once

# The killed worker's message becomes visible again after this many seconds.
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "3",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


def _wait_for(r: redis.Redis, key: str, timeout: float) -> bytes | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = r.get(key)
        if value is not None:
            return bytes(value)
        time.sleep(0.1)
    return None


def test_task_of_a_worker_killed_mid_task_runs_again_and_its_effect_happens_once(committed, worker_factory):
    from crm.contacts.models import Customer

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    r = redis.Redis.from_url(settings.REDIS_URL)
    key = secrets.token_hex(6)
    first = worker_factory("kill-1", **FAST_REDELIVERY).start()
    with schema_context(committed.a.schema_name):
        effect_once.apply_async(args=(key, 60.0))

    assert _wait_for(r, f"fault:{key}:holding", 30), "the task never started"
    first.kill9()
    assert r.get(f"fault:{key}:done") is None

    worker_factory("kill-2", **FAST_REDELIVERY).start()
    done = _wait_for(r, f"fault:{key}:done", 40)

    assert done == b"c_alfa", "the task did not run again (in company A) after the worker died"
    assert int(r.get(f"fault:{key}:runs") or 0) == 2
    with schema_context(committed.a.schema_name):
        assert Customer.objects.filter(name=f"fault-{key}").count() == 1
    with schema_context(committed.b.schema_name):
        assert not Customer.objects.filter(name=f"fault-{key}").exists()


def test_task_whose_pool_process_is_killed_is_requeued_at_once_and_applied_once(committed, worker_factory):
    """The usual production case: the OOM killer takes the pool child, the worker
    survives, sees WorkerLostError and (reject_on_worker_lost) requeues the task."""
    import os
    import signal

    from crm.contacts.models import Customer

    r = redis.Redis.from_url(settings.REDIS_URL)
    key = secrets.token_hex(6)
    worker_factory("kill-child", pool="prefork").start()
    with schema_context(committed.b.schema_name):
        effect_once.apply_async(args=(key, 60.0))

    child = _wait_for(r, f"fault:{key}:holding", 30)
    assert child, "the task never started"
    os.kill(int(child), signal.SIGKILL)
    done = _wait_for(r, f"fault:{key}:done", 40)

    assert done == b"c_beta"
    assert int(r.get(f"fault:{key}:runs") or 0) == 2
    with schema_context(committed.b.schema_name):
        assert Customer.objects.filter(name=f"fault-{key}").count() == 1


def test_production_settings_keep_unacknowledged_tasks_for_an_hour():
    """The fast redelivery above is for the test only; in production a message is
    redelivered after an hour (it must outlast the longest task)."""
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
