"""Signup in a real browser, timed: from opening /signup/ to the new company's
dashboard rendered on its own subdomain, signed in as Szef.

    python bench/signup_browser.py [--runs 5] [--quick]

Needs the services and a migrated database (`make migrate`); uses DATABASE_URL /
REDIS_URL like the app. Starts its own gunicorn (2 workers) on a free port and
Debian's Chromium (headless, via Playwright), fills the pool first (the normal
state: the pool is refilled in the background), warms the server up with one
page load, then signs up `--runs` times, each in a fresh browser context. The
companies it creates are dropped afterwards and the pool is left as it was.

"total" is wall time from `goto /signup/` to the dashboard's load event,
including the live availability check while typing. "server" is the part spent
in the server: time to first byte of each document on the way (GET /signup/,
POST /signup/, the hand-off redirect, the dashboard) and of the check requests.
Every response the browser gets during a timed signup must be below 400, and the
run must end signed in on the new company's dashboard. The server is
`bench.wsgi_timed` (the app with SQL logging off). Goals (README): median total
< 1500 ms and server < 500 ms; exit code 1 when one is missed or a signup fails.
Figures go to bench/results/signup_browser.json; `--quick` signs up once.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import traceback
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from bench.common import Run, parser, r1  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.models import Company, CompanyStatus  # noqa: E402
from tenants.pool import pool_fill, pool_size  # noqa: E402
from tenants.services import tenant_delete  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "Zielona-Herbata-77"
GOAL_TOTAL_MS = 1500.0
GOAL_SERVER_MS = 500.0


class SignupFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_start(port: int) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        IMCRM_NO_SERVICES_ENV="1",
        PORT=str(port),
        IMCRM_PUBLIC_PORT=str(port),
    )
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    cmd = [sys.executable, "-m", "gunicorn", "bench.wsgi_timed", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            req = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz", headers={"Host": settings.IMCRM_BASE_DOMAIN}
            )
            with urllib.request.urlopen(req, timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def url(port: int, path: str, sub: str | None = None) -> str:
    host = f"{sub}.{settings.IMCRM_BASE_DOMAIN}" if sub else settings.IMCRM_BASE_DOMAIN
    return f"http://{host}:{port}{path}"


def limits_reset() -> None:
    """The bench signs up more often than the per-IP limit allows a real visitor."""
    from public_site import ratelimit

    for scope in ("signup", "signup_check"):
        ratelimit.reset(scope, "127.0.0.1")


def signup_once(
    browser: Any, port: int, sub: str
) -> tuple[float, float, list[tuple[str, float]], dict[str, float], list[tuple[int, str]]]:
    """One timed signup: (total ms, server ms, server ms per request, phases, every response's
    status and URL). Raises SignupFailed when it does not end on the new dashboard."""
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    server: list[tuple[str, float]] = []
    responses: list[tuple[int, str]] = []
    page.on(
        "response", lambda response: responses.append((response.status, f"{response.request.method} {response.url}"))
    )

    def finished(request: Any) -> None:
        if request.resource_type in ("document", "fetch", "xhr"):
            t = request.timing
            if t.get("responseStart", -1) >= 0 and t.get("requestStart", -1) >= 0:
                server.append(
                    (
                        f"{request.method} {request.url.split(':' + str(port))[-1][:40]}",
                        t["responseStart"] - t["requestStart"],
                    )
                )

    page.on("requestfinished", finished)
    limits_reset()
    t0 = time.perf_counter()
    page.goto(url(port, "/signup/"))
    t_open = time.perf_counter()
    page.fill("#id_company_name", f"Benchmark {sub}")
    page.fill("#id_subdomain", sub)
    page.get_by_test_id("subdomain-live").filter(has_text="wolny").wait_for()
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Nowak")
    page.fill("#id_email", f"szef@{sub}.test")
    page.fill("#id_password", PASSWORD)
    page.check("#id_accept_terms")
    t_submit = time.perf_counter()
    page.get_by_test_id("signup-submit").click()
    try:
        page.wait_for_url(url(port, "/", sub), wait_until="load")
    except Exception as exc:
        problems = page.locator(".alert, .invalid-feedback").all_inner_texts()
        context.close()
        raise SignupFailed(f"signup of {sub} did not reach its dashboard ({page.url}): {problems}") from exc
    t_end = time.perf_counter()
    total = (t_end - t0) * 1000
    phases = {
        "open /signup/": (t_open - t0) * 1000,
        "fill+check": (t_submit - t_open) * 1000,
        "submit->dashboard": (t_end - t_submit) * 1000,
    }
    if "/accounts/login/" in page.url or page.locator("form[action$='/accounts/logout/']").count() != 1:
        context.close()
        raise SignupFailed(f"run for {sub} did not land signed in on its dashboard: {page.url}")
    context.close()
    return total, sum(ms for _n, ms in server), server, phases, responses


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--runs", type=int, help="timed signups (default 5; --quick: 1)")
    args = args_parser.parse_args()
    runs = args.runs or (1 if args.quick else 5)
    run = Run("signup_browser", quick=args.quick, params={"runs": runs, "gunicorn": "2 workers x 4 threads"})
    from playwright.sync_api import sync_playwright

    from tenants.services import public_tenant_ensure

    public_tenant_ensure()  # the site's own host (make migrate makes it; a bench may run first)
    pool_before = pool_size()
    pool_fill(target=max(pool_before, runs + 1))
    port = free_port()
    proc = server_start(port)
    tag = f"bench-ui-{os.getpid()}"
    subs = [f"{tag}-{i}" for i in range(runs)]
    warm_sub = f"{tag}-warm"
    results = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                # Warm-up, not timed: first requests of each worker (imports, the password
                # validators' word list, the broker connection) and one whole signup.
                warm = browser.new_context()
                warm_page = warm.new_page()
                for _ in range(4):
                    warm_page.goto(url(port, "/signup/"))
                    warm_page.goto(url(port, "/signup/check/?subdomain=rozgrzewka"))
                warm.close()
                signup_once(browser, port, warm_sub)
                for sub in subs:
                    try:
                        result = signup_once(browser, port, sub)
                    except SignupFailed as exc:
                        run.error(str(exc))
                        continue
                    for status, what in result[4]:
                        run.expect(what, status, range(100, 400))
                    results.append(result)
            finally:
                browser.close()
    except Exception as exc:  # the browser or the server broke down: a failed run, still recorded
        traceback.print_exc()
        run.error(f"{type(exc).__name__}: {exc}")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        connection.set_schema_to_public()
        for company in Company.objects.filter(subdomain__in=[*subs, warm_sub]):
            tenant_delete(company=company)
        extra = pool_size() - pool_before
        if extra > 0:
            for company in Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).order_by("-id")[:extra]:
                tenant_delete(company=company)
        elif extra < 0:
            pool_fill(target=pool_before)
        print(f"cleaned up: {len(subs) + 1} companies dropped, pool back to {pool_size()}")

    table = run.table(
        "", ["signup", "total ms", "server ms", "open /signup/ ms", "fill + check ms", "submit -> dashboard ms"]
    )
    for i, (total, server, parts, phases, _responses) in enumerate(results, 1):
        table.rows.append([i, r1(total), r1(server), *(r1(v) for v in phases.values())])
        print(f"run {i}: total {total:6.0f} ms, server {server:5.0f} ms")
        print("    phases: " + ", ".join(f"{name} {ms:.0f}" for name, ms in phases.items()))
        print("    server: " + ", ".join(f"{name} {ms:.0f}" for name, ms in parts))
    if results:
        total_median = statistics.median(r[0] for r in results)
        server_median = statistics.median(r[1] for r in results)
        post = [ms for r in results for name, ms in r[2] if name.startswith("POST /signup/")]
        run.figures = {
            "total_median_ms": r1(total_median),
            "server_median_ms": r1(server_median),
            "post_signup_median_ms": r1(statistics.median(post)) if post else None,
        }
        if post:
            run.notes.append(
                f"Median server time of POST /signup/ (hashing included): {statistics.median(post):.0f} ms."
            )
        run.goal(f"median total < {GOAL_TOTAL_MS:.0f} ms", f"{total_median:.0f} ms", total_median < GOAL_TOTAL_MS)
        run.goal(f"median server < {GOAL_SERVER_MS:.0f} ms", f"{server_median:.0f} ms", server_median < GOAL_SERVER_MS)
    else:
        run.error("no signup completed")
    return run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
