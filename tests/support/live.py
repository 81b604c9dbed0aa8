"""Real processes for tests that need them: a gunicorn server and a Celery worker,
both pointed at the test database and the test Redis database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tenants.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker_suffix() -> str:
    """-gw0, -gw1 ... under pytest-xdist (each worker has its own server and logs)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"-{worker}" if worker else ""


def child_env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=url,
        REDIS_URL=settings.REDIS_URL,
        IMCRM_NO_SERVICES_ENV="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _wait_http(port: int, host: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server process exited early")
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
            with urllib.request.urlopen(req, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def _stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server_port(companies: Any, django_db_blocker: Any) -> Iterator[int]:
    """A gunicorn process serving every host of the test database."""
    port = free_port()
    with django_db_blocker.unblock():
        env = child_env(PORT=str(port), IMCRM_PUBLIC_PORT=str(port))
    log = open(ROOT / ".local" / f"test-server{_worker_suffix()}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_http(port, settings.IMCRM_BASE_DOMAIN, proc)
        yield port
    finally:
        _stop(proc)
        log.close()


@pytest.fixture(scope="session")
def celery_worker_process(companies: Any, django_db_blocker: Any) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker consuming the test queue from the real Redis broker."""
    from config.celery import app

    with django_db_blocker.unblock():
        env = child_env()
    log = open(ROOT / ".local" / f"test-worker{_worker_suffix()}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--pool",
            "solo",
            "-n",
            f"test-{os.getpid()}@%h",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("celery worker exited early; see .local/test-worker.log")
            if app.control.ping(timeout=0.5):
                break
        else:
            raise RuntimeError("celery worker did not answer")
        yield proc
    finally:
        _stop(proc)
        log.close()
