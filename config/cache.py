"""A Redis cache that fails open: when Redis is down, pages still render.

Reads miss, writes are dropped, and the outage is logged once per call site
instead of turning every request into a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_open(method_name: str, default: Any = None):  # type: ignore[no-untyped-def]
    def wrapper(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(FailOpenRedisCache, self), method_name)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            logger.warning("cache %s failed open: %s", method_name, exc)
            if method_name == "get" and len(args) > 1:
                return args[1]
            if method_name == "get":
                return kwargs.get("default", default)
            return default

    wrapper.__name__ = method_name
    return wrapper


class FailOpenRedisCache(RedisCache):
    get = _fail_open("get")
    set = _fail_open("set")
    add = _fail_open("add", False)
    delete = _fail_open("delete", False)
    touch = _fail_open("touch", False)
    get_many = _fail_open("get_many", {})
    set_many = _fail_open("set_many", [])
    delete_many = _fail_open("delete_many")
    has_key = _fail_open("has_key", False)
    clear = _fail_open("clear")

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as exc:
            logger.warning("cache incr failed open: %s", exc)
            return 0
