"""Settings for the test suite: the real PostgreSQL and Redis, faster hashing.

Tests use their own Redis database and Celery queue so a `make run` worker on
the same machine never picks up a test's task (or the other way round)."""

from __future__ import annotations

import os

os.environ.setdefault("IMCRM_TESTING", "1")

from config.settings import *  # noqa: F403
from config.settings import CACHES, REDIS_URL

_TEST_REDIS_DB = int(os.environ.get("IMCRM_TEST_REDIS_DB", "13"))
TEST_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{_TEST_REDIS_DB}"
# The broker gets the next database: the tests flush the cache database between
# tests (rate-limit counters must not leak from one test into the next) and that
# must never drop the broker's queues and bindings.
TEST_BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{_TEST_REDIS_DB + 1}"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"]["LOCATION"] = TEST_REDIS_URL
CACHES["default"]["KEY_PREFIX"] = "imcrm-test"
CELERY_BROKER_URL = TEST_BROKER_URL
CELERY_RESULT_BACKEND = TEST_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = "imcrm-test"
REDIS_URL = TEST_REDIS_URL
IMCRM_POOL_SIZE = 2
LANGUAGE_CODE = "pl"

# Parallel runs on one machine (several developers' checkouts) keep apart by suffix.
_suffix = os.environ.get("IMCRM_TEST_DB_SUFFIX", "")
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{_suffix}"}  # noqa: F405
