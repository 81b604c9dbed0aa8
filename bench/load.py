"""Bounded load test on loopback: 20 companies x 10 staff, mixed reads and writes
through pages and the REST API, against gunicorn with production settings.

    python bench/load.py [--companies 20] [--staff 10] [--seconds 30] [--clients 24]

It builds a database of its own (`imcrm_bench_load` on the server of DATABASE_URL)
and a Redis database of its own (11), provisions the companies exactly as signup
does (`tenants.services.tenant_provision`), starts gunicorn (DEBUG off, HTTPS as
nginx would report it), runs client threads for a fixed time, then prints
requests/s, p50/p95/p99 latency, the error count (must be 0), and checks that every
company holds exactly the rows its own staff wrote, and nothing else. It removes
its database when done. Exit code 1 on any error or misplaced row.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DB = "imcrm_bench_load"
BENCH_REDIS_DB = "11"
BASE = "imcrm.localhost"
PASSWORD = "Bench-haslo-2024!"


def _env_file() -> dict[str, str]:
    values: dict[str, str] = {}
    path = ROOT / ".local" / "services.env"
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                k, _, v = line.partition("=")
                values[k.strip()] = v.strip()
    return values


def _urls() -> tuple[str, str, str]:
    found = {**_env_file(), **os.environ}
    db = found.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imcrm")
    redis_url = found.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    u = urlparse(db)
    bench_db = u._replace(path=f"/{BENCH_DB}").geturl()
    bench_redis = redis_url.rsplit("/", 1)[0] + "/" + BENCH_REDIS_DB
    return db, bench_db, bench_redis


def _admin_exec(db_url: str, sql: str) -> None:
    import psycopg

    u = urlparse(db_url)
    with psycopg.connect(
        host=u.hostname or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
        password=u.password or None, dbname="postgres", autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(sql)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- setting up ----------------------------------------------------------------------


@dataclass
class Staff:
    company: str  # subdomain
    email: str
    token: str
    session: str


def _prepare(companies: int, staff: int) -> list[Staff]:
    """Runs inside the bench database (DATABASE_URL already points at it)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from crm.accounts.models import Role, User
    from crm.accounts.tokens import api_token_create
    from tenants.db import connection
    from tenants.services import pool_fill, public_tenant_ensure, tenant_provision

    public_tenant_ensure()
    started = time.monotonic()
    pool_fill(target=companies)
    print(f"  pool of {companies} schemas built in {time.monotonic() - started:.1f} s", flush=True)
    people: list[Staff] = []
    hashed = make_password(PASSWORD)
    started = time.monotonic()
    for i in range(companies):
        sub = f"load{i:02d}"
        result = tenant_provision(
            name=f"Firma Obciążeniowa {i:02d}", subdomain=sub, email=f"szef@{sub}.test", password=PASSWORD
        )
        connection.set_tenant(result.company)
        users = [User.objects.get(pk=result.owner_id)]
        for j in range(1, staff):
            role = Role.KIEROWNIK if j == 1 else Role.PRACOWNIK
            users.append(
                User.objects.create(email=f"osoba{j}@{sub}.test", password=hashed, name=f"Osoba {j}", role=role)
            )
        for user in users:
            token = api_token_create(user=user, name="bench").key
            store = SessionStore()
            store["_auth_user_id"] = str(user.pk)
            store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            store["_auth_user_hash"] = user.get_session_auth_hash()
            store.create()
            people.append(Staff(sub, user.email, token, store.session_key or ""))
        connection.set_schema_to_public()
    print(f"  {companies} companies x {staff} staff provisioned in {time.monotonic() - started:.1f} s", flush=True)
    return people


# --- the load --------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    written: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # company -> names
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    def __init__(self, port: int, person: Staff, results: Results) -> None:
        self.port, self.person, self.results = port, person, results
        self.host = f"{person.company}.{BASE}"
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.csrf = ""
        self.my_customers: list[int] = []

    def _call(self, name: str, method: str, path: str, body: Any = None, api: bool = False) -> tuple[int, bytes]:
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        if api:
            headers["Authorization"] = f"Token {self.person.token}"
            if body is not None:
                headers["Content-Type"] = "application/json"
                body = json.dumps(body)
        else:
            cookie = f"__Host-sessionid={self.person.session}"
            if self.csrf:
                cookie += f"; __Host-csrftoken={self.csrf}"
            headers["Cookie"] = cookie
            if body is not None:
                headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{self.host}"})
                body = urlencode(body)
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            with self.results.lock:
                self.results.errors.append(f"{name}: {exc}")
            return 0, b""
        elapsed = time.perf_counter() - started
        for key, value in resp.getheaders():
            if key.lower() == "set-cookie" and value.startswith("__Host-csrftoken="):
                self.csrf = value.split("=", 1)[1].split(";", 1)[0]
        with self.results.lock:
            self.results.latencies[name].append(elapsed)
        return resp.status, data

    def _expect(self, name: str, status: int, wanted: tuple[int, ...], data: bytes) -> bool:
        if status in wanted:
            return True
        with self.results.lock:
            self.results.errors.append(f"{name}: HTTP {status} {data[:200]!r}")
        return False

    def _name(self) -> str:
        return f"LOAD {self.person.company} {secrets.token_hex(5)}"

    def step(self) -> None:
        roll = random.random()
        if roll < 0.22:
            q = random.choice(["", "firma", "load", "ó", "sp"])
            s, d = self._call("api customers list", "GET", f"/api/v1/customers/?search={quote(q)}", api=True)
            self._expect("api customers list", s, (200,), d)
        elif roll < 0.30:
            s, d = self._call("api deals list", "GET", "/api/v1/deals/", api=True)
            self._expect("api deals list", s, (200,), d)
        elif roll < 0.38:
            s, d = self._call("api tasks list", "GET", "/api/v1/tasks/", api=True)
            self._expect("api tasks list", s, (200,), d)
        elif roll < 0.43:
            s, d = self._call("api dashboard", "GET", "/api/v1/dashboard/?days=7", api=True)
            self._expect("api dashboard", s, (200,), d)
        elif roll < 0.56:
            s, d = self._call("page dashboard", "GET", "/")
            self._expect("page dashboard", s, (200,), d)
        elif roll < 0.66:
            s, d = self._call("page customers", "GET", "/customers/?q=firma")
            self._expect("page customers", s, (200,), d)
        elif roll < 0.72 and self.my_customers:
            pk = random.choice(self.my_customers)
            s, d = self._call("page customer card", "GET", f"/customers/{pk}/")
            self._expect("page customer card", s, (200,), d)
        elif roll < 0.84:
            name = self._name()
            s, d = self._call(
                "api customer create", "POST", "/api/v1/customers/", {"name": name, "kind": "company"}, True
            )
            if self._expect("api customer create", s, (201,), d):
                self.my_customers.append(int(json.loads(d)["id"]))
                with self.results.lock:
                    self.results.written[self.person.company].add(name)
        elif roll < 0.92:
            s, d = self._call("api task create", "POST", "/api/v1/tasks/", {"title": self._name()}, True)
            self._expect("api task create", s, (201,), d)
        else:
            if not self.csrf:
                s, d = self._call("page customer form", "GET", "/customers/new/")
                self._expect("page customer form", s, (200,), d)
            token = self.csrf
            name = self._name()
            body = {"csrfmiddlewaretoken": token, "name": name, "kind": "company"}
            s, d = self._call("page customer create", "POST", "/customers/new/", body)
            if self._expect("page customer create", s, (302, 303), d):
                with self.results.lock:
                    self.results.written[self.person.company].add(name)


def _run_load(port: int, people: list[Staff], clients: int, seconds: float) -> tuple[Results, float]:
    results = Results()
    stop = threading.Event()
    chosen = random.sample(people, min(clients, len(people)))

    def loop(person: Staff) -> None:
        client = Client(port, person, results)
        while not stop.is_set():
            client.step()

    threads = [threading.Thread(target=loop, args=(p,), daemon=True) for p in chosen]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    return results, time.monotonic() - started


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def _check_rows(written: dict[str, set[str]], companies: int) -> list[str]:
    """Every company holds exactly the LOAD rows its own staff wrote."""
    from crm.contacts.models import Customer
    from tenants.db import connection
    from tenants.models import Company

    problems = []
    for i in range(companies):
        sub = f"load{i:02d}"
        company = Company.objects.get(subdomain=sub)
        connection.set_tenant(company)
        names = set(Customer.objects.filter(name__startswith="LOAD ").values_list("name", flat=True))
        connection.set_schema_to_public()
        foreign = {n for n in names if not n.startswith(f"LOAD {sub} ")}
        if foreign:
            problems.append(f"{sub}: rows of other companies: {sorted(foreign)[:3]}")
        if names != written.get(sub, set()):
            missing = written.get(sub, set()) - names
            extra = names - written.get(sub, set())
            problems.append(f"{sub}: {len(missing)} written rows missing, {len(extra)} unexpected")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=24, help="concurrent client threads (staff picked at random)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (4 threads each)")
    args = parser.parse_args()

    _dev_db, bench_db, bench_redis = _urls()
    print(f"[load] database {BENCH_DB}, Redis db {BENCH_REDIS_DB}", flush=True)
    _admin_exec(bench_db, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    _admin_exec(bench_db, f'CREATE DATABASE "{BENCH_DB}"')
    static = Path(tempfile.mkdtemp(prefix="imcrm-bench-static-"))
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=bench_db,
        REDIS_URL=bench_redis,
        IMCRM_NO_SERVICES_ENV="1",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        STATIC_ROOT=str(static),
        IMCRM_BASE_DOMAIN=BASE,
        IMCRM_POOL_SIZE="0",
        LOG_LEVEL="WARNING",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    os.environ.update(
        {k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "IMCRM_NO_SERVICES_ENV")}
    )
    os.environ.update(DEBUG="0", SECRET_KEY=env["SECRET_KEY"], STATIC_ROOT=str(static), IMCRM_POOL_SIZE="0")
    server = None
    try:
        import redis

        redis.Redis.from_url(bench_redis).flushdb()
        started = time.monotonic()
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate_schemas", "--shared", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        print(f"  migrated and collected static in {time.monotonic() - started:.1f} s", flush=True)
        people = _prepare(args.companies, args.staff)

        port = _free_port()
        log = open(ROOT / ".local" / "bench-load-server.log", "wb")  # noqa: SIM115
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
             "--threads", "4", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz", headers={"Host": BASE, "X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not answer; see .local/bench-load-server.log")

        warm, _t = _run_load(port, people, min(args.clients, 8), 3)  # warm-up: imports, connections, caches
        print(f"[load] {args.clients} clients for {args.seconds:.0f} s on {args.workers} gunicorn workers", flush=True)
        results, elapsed = _run_load(port, people, args.clients, args.seconds)
        results.errors += warm.errors
        for sub, names in warm.written.items():
            results.written[sub] |= names
        all_latencies = [x for values in results.latencies.values() for x in values]
        total = len(all_latencies)
        print(f"\nrequests: {total} in {elapsed:.1f} s = {total / elapsed:.1f} requests/s")
        print(
            f"latency ms: p50 {_percentile(all_latencies, 50):.1f}  p95 {_percentile(all_latencies, 95):.1f}  "
            f"p99 {_percentile(all_latencies, 99):.1f}  mean {statistics.mean(all_latencies) * 1000:.1f}"
        )
        print(f"{'operation':<24}{'count':>7}{'p50':>9}{'p95':>9}{'p99':>9}")
        for name, values in sorted(results.latencies.items()):
            print(
                f"{name:<24}{len(values):>7}{_percentile(values, 50):>9.1f}{_percentile(values, 95):>9.1f}"
                f"{_percentile(values, 99):>9.1f}"
            )
        print(f"errors: {len(results.errors)}")
        for line in results.errors[:10]:
            print("  ", line)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        problems = _check_rows(results.written, args.companies)
        written = sum(len(v) for v in results.written.values())
        print(
            f"row check: {written} customers written by staff, "
            + ("all in their own company" if not problems else "PROBLEMS")
        )
        for line in problems[:10]:
            print("  ", line)
        return 1 if results.errors or problems else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        _admin_exec(bench_db, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        shutil.rmtree(static, ignore_errors=True)
        try:
            import redis

            redis.Redis.from_url(bench_redis).flushdb()
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())
