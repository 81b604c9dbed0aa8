"""A gunicorn of our own for fault tests, started with any environment (a Redis at a
dead port, a private PostgreSQL...), and small HTTP helpers with a Host header."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from tests.support.live import ROOT, free_port


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float
    cookies: dict[str, str]


def request(
    port: int, host: str, path: str, method: str = "GET", body: str | None = None, headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = {"Host": f"{host}:{port}", **(headers or {})}
    if body is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=sent)
        resp = conn.getresponse()
        text = resp.read().decode(errors="replace")
    finally:
        conn.close()
    cookies = {}
    for name, value in resp.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, text, time.monotonic() - started, cookies)


class Server:
    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 4) -> None:
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port), "IMCRM_PUBLIC_PORT": str(self.port)}
        self.workers, self.threads = workers, threads
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, log_name: str) -> Server:
        self.log = open(ROOT / ".local" / f"test-server-{log_name}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}",
             "-w", str(self.workers), "--threads", str(self.threads), "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see .local/test-server-{log_name}.log")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, host: str, path: str, **kw: Any) -> Answer:
        return request(self.port, host, path, **kw)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if hasattr(self, "log"):
            self.log.close()
