"""Tasks that only the test workers load (`celery worker --include tests.security.worker_tasks`).

`effect_once` has an idempotent effect keyed by a row (a customer named after the
key); its first run holds after the effect so a test can SIGKILL the worker there.
`schema_probe` touches company tables and says which schema it ran in.
"""

from __future__ import annotations

import os
import time

import redis
from celery import shared_task
from django.conf import settings

from tenants.db import connection

QUEUE = "imcrm-test-security"


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@shared_task(name="tests.effect_once", queue=QUEUE)
def effect_once(key: str, hold_seconds: float = 0.0) -> int:
    from django.db import transaction

    from crm.contacts.models import Customer

    r = _redis()
    runs = int(r.incr(f"fault:{key}:runs"))
    with transaction.atomic():
        # Idempotent: the row is the effect; a second run finds it and adds nothing.
        Customer.objects.select_for_update().filter(name=f"fault-{key}").first()
        if not Customer.objects.filter(name=f"fault-{key}").exists():
            Customer.objects.create(name=f"fault-{key}")
    if runs == 1 and hold_seconds:
        r.set(f"fault:{key}:holding", str(os.getpid()))
        time.sleep(hold_seconds)  # the test kills the worker here, before the ack
    r.set(f"fault:{key}:done", connection.schema_name)
    return runs


@shared_task(name="tests.schema_probe", queue=QUEUE)
def schema_probe(key: str) -> str:
    from crm.contacts.models import Customer

    count = Customer.objects.count()  # fails in public: company tables are not there
    _redis().rpush(key, f"{connection.schema_name}:{count}")
    return str(connection.schema_name)
