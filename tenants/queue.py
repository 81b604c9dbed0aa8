"""Enqueue Celery tasks without ever hanging a request when Redis is down."""

from __future__ import annotations

import logging
from typing import Any

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    pass


def enqueue(task: Any, *args: Any, run_inline_if_down: bool = True, **kwargs: Any) -> None:
    """Send `task`; if the broker is unreachable, run it here (or raise QueueUnavailable)."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except (OperationalError, OSError) as exc:
        logger.warning("broker unavailable for %s: %s", task.name, exc)
        if not run_inline_if_down:
            raise QueueUnavailable(str(exc)) from exc
        task.apply(args=args, kwargs=kwargs, throw=True)
