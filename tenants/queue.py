"""Enqueue Celery tasks without ever hanging a request when Redis is down."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_DOWN = (OperationalError, OSError, RedisError)
CHECK_EVERY = 2.0  # seconds between broker PINGs per process
PING_TIMEOUT = 0.5
_lock = threading.Lock()
_last: tuple[float, bool] = (-CHECK_EVERY, True)


class QueueUnavailable(Exception):
    pass


def broker_is_down(exc: BaseException) -> bool:
    """True if `exc` (or what caused it) is a connection failure of the broker or the
    result store. Celery's Redis result backend wraps one in a RuntimeError ("Retry
    limit exceeded while trying to reconnect to the Celery result store")."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _DOWN):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def broker_answers() -> bool:
    """A quick PING of a Redis broker (0.5 s at most, at most once per 2 s per process).

    A Redis that accepts connections but never answers would otherwise cost several
    socket timeouts inside Celery (broker and result store) before enqueueing fails."""
    global _last
    from django.conf import settings

    url = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if not url.startswith(("redis://", "rediss://", "unix://")) or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return True
    now = time.monotonic()
    checked_at, ok = _last
    if now - checked_at < CHECK_EVERY:
        return ok
    import redis

    try:
        ok = bool(redis.Redis.from_url(url, socket_connect_timeout=PING_TIMEOUT, socket_timeout=PING_TIMEOUT).ping())
    except (RedisError, OSError):
        ok = False
    with _lock:
        _last = (now, ok)
    return ok


def enqueue(task: Any, *args: Any, run_inline_if_down: bool = True, **kwargs: Any) -> None:
    """Send `task`; if the broker is unreachable, run it here (or raise QueueUnavailable)."""
    try:
        if not broker_answers():
            raise OperationalError("the broker does not answer a PING")
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception as exc:
        if not broker_is_down(exc):
            raise
        logger.warning("broker unavailable for %s: %s", task.name, exc)
        if not run_inline_if_down:
            raise QueueUnavailable(str(exc)) from exc
        task.apply(args=args, kwargs=kwargs, throw=True)
