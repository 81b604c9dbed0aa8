"""A real Celery worker for the isolation and fault tests, on a queue of its own,
loading the test-only tasks of tests/security/worker_tasks.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from tests.security.worker_tasks import QUEUE
from tests.support.live import ROOT, child_env


class Worker:
    def __init__(self, log_name: str, pool: str = "solo", **env: str) -> None:
        self.log_name = log_name
        self.pool = pool
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, wait: bool = True) -> Worker:
        env = child_env(**self.env)
        self.log = open(ROOT / ".local" / f"test-worker-{self.log_name}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--include", "tests.security.worker_tasks",
                "-Q", QUEUE, "--pool", self.pool, "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", f"{self.log_name}-{os.getpid()}-{time.monotonic_ns()}@%h", "-l", "info",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 40) -> None:
        from config.celery import app

        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early; see .local/test-worker-{self.log_name}.log")
            replies = app.control.ping(timeout=0.5)
            if any(self.log_name in name for reply in replies for name in reply):
                return
        raise RuntimeError("worker did not answer")

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if hasattr(self, "log"):
            self.log.close()


@pytest.fixture
def worker_factory(committed: Any, django_db_blocker: Any) -> Iterator[Any]:
    made: list[Worker] = []

    def make(log_name: str, pool: str = "solo", **env: str) -> Worker:
        with django_db_blocker.unblock():
            worker = Worker(log_name, pool, **env)
        made.append(worker)
        return worker

    try:
        yield make
    finally:
        for worker in made:
            worker.stop()
        _queue_purge()


def _queue_purge() -> None:
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(QUEUE, "unacked", "unacked_index")
