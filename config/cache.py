"""A Redis cache that fails open: when Redis is down, pages still render.

Reads miss, writes are dropped, `add` reports success (so callers that take a
lock with it, like allauth's rate limits, carry on instead of refusing everyone),
and the outage is logged instead of turning every request into a 500.

A Redis that hangs (accepts connections, never answers) would cost a socket
timeout on every call; after a failure the cache therefore stays "open" for
`RETRY_AFTER` seconds in this process and does not touch the network at all.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
_down_until = 0.0
_lock = threading.Lock()


def _is_down() -> bool:
    return time.monotonic() < _down_until


def _mark_down(method_name: str, exc: BaseException) -> None:
    global _down_until
    with _lock:
        first = not _is_down()
        _down_until = time.monotonic() + RETRY_AFTER
    if first:
        logger.warning("cache %s failed open, Redis unusable for %.0f s: %s", method_name, RETRY_AFTER, exc)


def cache_reset() -> None:
    """Forget a recorded outage (tests)."""
    global _down_until
    _down_until = 0.0


def _fail_open(method_name: str, default: Any = None) -> Callable[..., Any]:
    def fallback(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if method_name == "get":
            return args[1] if len(args) > 1 else kwargs.get("default", default)
        return default

    def wrapper(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> Any:
        if _is_down():
            return fallback(args, kwargs)
        try:
            return getattr(super(FailOpenRedisCache, self), method_name)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            _mark_down(method_name, exc)
            return fallback(args, kwargs)

    wrapper.__name__ = method_name
    return wrapper


class FailOpenRedisCache(RedisCache):
    get = _fail_open("get")
    set = _fail_open("set")
    add = _fail_open("add", True)
    delete = _fail_open("delete", False)
    touch = _fail_open("touch", False)
    get_many = _fail_open("get_many", {})
    set_many = _fail_open("set_many", [])
    delete_many = _fail_open("delete_many")
    has_key = _fail_open("has_key", False)
    clear = _fail_open("clear")

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        if _is_down():
            return 0
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise  # a missing key is the caller's business, as with any cache
        except (RedisError, OSError) as exc:
            _mark_down("incr", exc)
            return 0
