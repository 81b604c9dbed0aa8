"""PostgreSQL restarted while requests are in flight (a private cluster holding a copy
of the test database, never the shared server): the app recovers by itself within
30 seconds (persistent connections with health checks) and no answer after that
shows another company's rows."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve
from django_tenants.utils import schema_context

from crm.accounts.models import User
from tests.faults.private_pg import PrivatePostgres
from tests.faults.server import Answer, Server
from tests.support.api_tokens import api_key_for
from tests.support.live import child_env

RECOVERY_LIMIT = 30.0
HOSTS = {"a": f"alfa.{settings.IMCRM_BASE_DOMAIN}", "b": f"beta.{settings.IMCRM_BASE_DOMAIN}"}
MARKS = {"a": "Tylko-Alfa-Klient", "b": "Tylko-Beta-Klient"}


def _api_list_path() -> str | None:
    try:
        resolve("/api/v1/customers/", urlconf="config.urls_tenant")
    except Resolver404:
        return None
    return "/api/v1/customers/"


@pytest.fixture
def restartable(committed: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    from crm.contacts.models import Customer
    from tenants.db import connection

    tokens = {}
    for side, company in (("a", committed.a), ("b", committed.b)):
        with schema_context(company.schema_name):
            Customer.objects.create(name=MARKS[side])
            szef = User.objects.get(email=f"szef@{'alfa' if side == 'a' else 'beta'}.test")
            tokens[side] = api_key_for(szef)
    pg = PrivatePostgres().start()
    server = None
    try:
        db = connection.settings_dict
        source = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        pg.copy_database(source, "imcrm_restart")
        with django_db_blocker.unblock():
            env = child_env(DATABASE_URL=pg.url("imcrm_restart"), CONN_MAX_AGE="300")
        server = Server(env, workers=1, threads=4).start("pg-restart")
        yield {"pg": pg, "server": server, "tokens": tokens}
    finally:
        if server is not None:
            server.stop()
        pg.stop()


def _ask(server: Server, side: str, token: str, path: str | None) -> Answer:
    if path is None:
        return server.get(HOSTS[side], "/healthz", timeout=10)
    return server.get(HOSTS[side], path, headers={"Authorization": f"Token {token}"}, timeout=10)


def _leak(side: str, answer: Answer, path: str | None) -> str | None:
    other = "b" if side == "a" else "a"
    if path is None:
        schema = "c_alfa" if side == "a" else "c_beta"
        return None if f'"schema": "{schema}"' in answer.body else answer.body[:200]
    if MARKS[other] in answer.body:
        return f"{side} saw {MARKS[other]}"
    if MARKS[side] not in answer.body:
        return f"{side} missing its own row: {answer.body[:200]}"
    return None


@pytest.mark.timing
def test_app_recovers_within_30_seconds_of_a_postgres_restart_without_mixing_companies(restartable):
    server, pg, tokens = restartable["server"], restartable["pg"], restartable["tokens"]
    path = _api_list_path()
    for side in ("a", "b"):
        warm = _ask(server, side, tokens[side], path)
        assert warm.status == 200, warm.body[:300]
        assert _leak(side, warm, path) is None

    stop = threading.Event()
    log: list[tuple[float, str, int, str | None]] = []

    def hammer(side: str) -> None:
        while not stop.is_set():
            sent = time.monotonic()  # a request is judged by when it was sent
            try:
                answer = _ask(server, side, tokens[side], path)
                log.append((sent, side, answer.status, _leak(side, answer, path)))
            except OSError as exc:
                log.append((sent, side, 0, f"connection: {exc}"))
            time.sleep(0.02)

    threads = [threading.Thread(target=hammer, args=(side,), daemon=True) for side in ("a", "b", "a", "b")]
    for t in threads:
        t.start()
    time.sleep(0.5)
    restarted_at = time.monotonic()
    pg.restart()
    back_at = time.monotonic()
    deadline = back_at + RECOVERY_LIMIT
    while time.monotonic() < deadline:
        recent = [e for e in log if e[0] > max(back_at, time.monotonic() - 1.5)]
        if recent and all(e[2] == 200 for e in recent) and {e[1] for e in recent} == {"a", "b"}:
            break
        time.sleep(0.2)
    recovered_at = time.monotonic()
    time.sleep(2.0)  # keep going after recovery: every answer now must be right
    stop.set()
    for t in threads:
        t.join(timeout=15)

    after = [e for e in log if e[0] > recovered_at]
    assert recovered_at < deadline, f"not recovered {RECOVERY_LIMIT:.0f} s after the restart"
    assert after, "no request after recovery"
    assert all(e[2] == 200 for e in after), [e for e in after if e[2] != 200][:5]
    leaks = [e for e in log if e[2] == 200 and e[3]]
    assert not leaks, leaks[:5]
    during = [e for e in log if restarted_at <= e[0] <= recovered_at]
    print(f"restart {back_at - restarted_at:.1f} s, recovered {recovered_at - back_at:.1f} s later, "
          f"{len(during)} answers during, {len(after)} after")  # fmt: skip
