"""What every bench shares: `--quick`, percentiles, status checks, timing without
query capture, and the result written as JSON.

A bench builds a `Run`, checks the status of every timed request with
`Run.expect()`, records its tables and goals, and ends with `return run.finish()`:
that writes `bench/results/<script>.json` (or `bench/results/quick/<script>.json`
for a `--quick` run, which is only a smoke test and never reaches README) and
returns the exit code: 1 when any request failed or any goal was missed.
README's figures are rendered from those files by `scripts/bench_report.py`.

Nothing here imports Django at module level: `load.py` must choose its database
before Django is set up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
QUICK_RESULTS = RESULTS / "quick"
SCHEMA_VERSION = 1


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 100)))  # ceil(n * q / 100)
    return float(ordered[int(rank) - 1])


def r1(value: float) -> float:
    return round(float(value), 1)


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return info


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class LoadSampler:
    """The 1-minute load average every few seconds while the bench runs: the machine is
    shared, and the figures only mean something next to how busy it was."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(every,), daemon=True)
        self._thread.start()

    def _loop(self, every: float) -> None:
        while not self._stop.wait(every):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self.samples.append(os.getloadavg()[0])
        return {"max_1min": round(max(self.samples), 2), "mean_1min": round(sum(self.samples) / len(self.samples), 2)}


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--quick",
        action="store_true",
        help="small N, to check the bench works; written to bench/results/quick/, never to README",
    )
    return p


@dataclass
class Goal:
    goal: str  # as README states it, e.g. "fast path p50 <= 100 ms"
    measured: str  # e.g. "32.1 ms"
    met: bool


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


class Run:
    """One run of one bench script."""

    def __init__(self, script: str, *, quick: bool, params: dict[str, Any], command: str | None = None) -> None:
        self.script = script
        self.quick = quick
        self.params = params
        self.command = command or " ".join(["python", f"bench/{script}.py", *sys.argv[1:]])
        self.started = time.monotonic()
        self.date = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        self.load_start = loadavg()
        self.sampler = LoadSampler()
        self.errors: list[str] = []
        self.error_count = 0
        self.requests_checked = 0
        self.goals: list[Goal] = []
        self.tables: list[Table] = []
        self.figures: dict[str, Any] = {}
        self.notes: list[str] = []

    # --- checks -----------------------------------------------------------------------

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < 50:
            self.errors.append(message)
        print(f"ERROR {message}", flush=True)

    def expect(self, what: str, status: int, wanted: Iterable[int] = (200,), body: bytes = b"") -> bool:
        """Record the status of a timed request; anything but `wanted` is an error."""
        self.requests_checked += 1
        wanted = tuple(wanted)
        if status in wanted:
            return True
        shown = f"{wanted[0]}-{wanted[-1]}" if len(wanted) > 4 else "/".join(map(str, wanted))
        self.error(f"{what}: HTTP {status} (wanted {shown}) {body[:160]!r}")
        return False

    def goal(self, goal: str, measured: str, met: bool) -> bool:
        self.goals.append(Goal(goal, measured, bool(met)))
        print(f"goal {goal}: {measured} -> {'met' if met else 'NOT met'}", flush=True)
        return met

    def table(self, title: str, columns: list[str]) -> Table:
        table = Table(title, columns)
        self.tables.append(table)
        return table

    # --- the result -------------------------------------------------------------------

    @property
    def passed(self) -> bool:
        return self.error_count == 0 and all(g.met for g in self.goals)

    def as_json(self) -> dict[str, Any]:
        during = self.sampler.stop()
        return {
            "schema": SCHEMA_VERSION,
            "script": self.script,
            "command": self.command,
            "quick": self.quick,
            "date": self.date,
            "duration_s": r1(time.monotonic() - self.started),
            "machine": machine(),
            "load_average": {"start": self.load_start, "end": loadavg(), **during},
            "params": self.params,
            "goals": [g.__dict__ for g in self.goals],
            "tables": [t.__dict__ for t in self.tables],
            "figures": self.figures,
            "notes": self.notes,
            "requests_checked": self.requests_checked,
            "errors": {"count": self.error_count, "first": self.errors},
            "passed": self.passed,
        }

    def finish(self) -> int:
        data = self.as_json()
        folder = QUICK_RESULTS if self.quick else RESULTS
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.script}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        missed = [g.goal for g in self.goals if not g.met]
        print(
            f"\n[{self.script}] {'PASSED' if data['passed'] else 'FAILED'}: {self.requests_checked} requests checked, "
            f"{self.error_count} errors, {len(self.goals) - len(missed)}/{len(self.goals)} goals met"
            + (f" (missed: {'; '.join(missed)})" if missed else "")
            + f"; load average {data['load_average']['start'][0]} -> {data['load_average']['end'][0]}"
            f" (max {data['load_average']['max_1min']}); written to {path.relative_to(ROOT)}",
            flush=True,
        )
        return 0 if data["passed"] else 1


# --- in-process timing (crm_lists, dashboard) ------------------------------------------


def sql_logging_off() -> None:
    """With DEBUG on, Django keeps every SQL statement of every request (the debug cursor);
    timed requests must not pay for that. Call before the first request: templates are
    then compiled without debug information too, as in production."""
    from django.conf import settings

    settings.DEBUG = False


def not_capturing() -> None:
    """Refuse to time while any connection logs its queries (DEBUG or CaptureQueriesContext)."""
    from django.db import connections

    logging = [c.alias for c in connections.all(initialized_only=True) if c.queries_logged]
    if logging:
        raise RuntimeError(f"query logging is on for {logging}: timings would include it")


def timed_get(client: Any, path: str, after: Callable[[], None] | None = None) -> tuple[int, float, float, bytes]:
    """One GET through a django.test.Client: (status, wall ms, this process's CPU ms, body).
    A streamed body is read inside the timing."""
    not_capturing()
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(path)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    wall = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - cpu_started) * 1000
    if after is not None:
        after()
    return response.status_code, wall, cpu, body


def count_queries(client: Any, path: str) -> tuple[int, int]:
    """Untimed pass: (SQL statements, of which django-tenants' `SET search_path`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    sets = sum(1 for q in captured.captured_queries if q["sql"].startswith("SET search_path"))
    return len(captured), sets


def login(client: Any, email: str, password: str) -> None:
    """Sign in through the login form, as a person would (the test client carries the
    CSRF cookie; the form answers with a redirect once the password is right)."""
    response = client.post("/accounts/login/", {"login": email, "password": password})
    home = client.get("/")
    if response.status_code != 302 or home.status_code != 200:
        raise SystemExit(f"sign-in of {email} failed: HTTP {response.status_code}, then / answered {home.status_code}")
