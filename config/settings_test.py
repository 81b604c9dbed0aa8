"""Settings for the test suite: the real PostgreSQL and Redis, faster hashing.

Tests use their own Redis database and Celery queue so a `make run` worker on
the same machine never picks up a test's task (or the other way round)."""

from __future__ import annotations

import os

os.environ.setdefault("IMCRM_TESTING", "1")

from config.settings import *  # noqa: F403
from config.settings import CACHES, CELERY_TASK_ROUTES, IMCRM_CELERY_QUEUES, PASSWORD_HASHERS, REDIS_URL

# pytest-xdist workers (gw0, gw1, ...) each get their own pair of Redis databases, counting
# down from the first one; pytest-django gives each its own test database (suffix _gw0, ...).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_N = int(_WORKER[2:]) if _WORKER.startswith("gw") and _WORKER[2:].isdigit() else 0
_TEST_REDIS_DB = int(os.environ.get("IMCRM_TEST_REDIS_DB", "13")) - 2 * _WORKER_N
if _TEST_REDIS_DB < 0:
    raise RuntimeError("IMCRM_TEST_REDIS_DB is too low for this many test workers (two databases each)")
TEST_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{_TEST_REDIS_DB}"
# The broker gets the next database: the tests flush the cache database between
# tests (rate-limit counters must not leak from one test into the next) and that
# must never drop the broker's queues and bindings.
TEST_BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{_TEST_REDIS_DB + 1}"
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS  # for the test of the upgrade on login
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"]["LOCATION"] = TEST_REDIS_URL
CACHES["default"]["KEY_PREFIX"] = "imcrm-test"
CELERY_BROKER_URL = TEST_BROKER_URL
CELERY_RESULT_BACKEND = TEST_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = "imcrm-test"
# Every task to that one queue: the tests' worker (tests/support/live.py) consumes only it.
# The production routing is tested on its own (tests/deploy/test_celery_queues.py).
PRODUCTION_CELERY_TASK_ROUTES = dict(CELERY_TASK_ROUTES)
CELERY_TASK_ROUTES.clear()
PRODUCTION_CELERY_QUEUES = list(IMCRM_CELERY_QUEUES)
IMCRM_CELERY_QUEUES = [CELERY_TASK_DEFAULT_QUEUE]
REDIS_URL = TEST_REDIS_URL
# Uploaded files of the test companies (same schema names in every worker) kept apart per worker.
MEDIA_ROOT = str(BASE_DIR / ".local" / f"media-test{_WORKER and '-' + _WORKER}")  # noqa: F405
IMCRM_POOL_SIZE = 2
LANGUAGE_CODE = "pl"
# Never the real NBP from tests: a closed local port (tests that need rates start a fake).
IMCRM_NBP_API_URL = "http://127.0.0.1:9/api"

# Parallel runs on one machine (several developers' checkouts) keep apart by suffix.
_suffix = os.environ.get("IMCRM_TEST_DB_SUFFIX", "")
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{_suffix}"}  # noqa: F405
# A test database is thrown away: a commit need not wait for its WAL to reach the disk
# (what the committed tests, the live server and every schema built pay for each commit).
DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405

# The bell asks for the unread count every 2 s in tests (browser tests wait for it).
NOTIFICATIONS_POLL_SECONDS = 2

# Webhook deliveries reach the tests' local receivers (a test turns it off to prove the refusal).
WEBHOOKS_ALLOW_PRIVATE = True

# The test servers' static files stay fresh in the browser for an hour (DEBUG alone sends
# max-age=0): a browser test's Chromium then loads Bootstrap, htmx and the app's CSS and
# JS once per test instead of asking again on every page it opens (13 requests a page).
WHITENOISE_MAX_AGE = 3600
