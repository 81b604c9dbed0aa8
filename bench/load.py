"""Bounded load test on loopback: 20 companies x 10 staff, mixed reads and writes
through pages and the REST API, against gunicorn with production settings.

    python bench/load.py [--companies 20] [--staff 10] [--seconds 30] [--clients 24] [--quick]

It builds a database of its own (`<DATABASE_URL's name>_load` on the same server)
and a Redis database of its own (11), provisions the companies exactly as signup
does (`tenants.services.tenant_provision`), starts gunicorn (DEBUG off, HTTPS as
nginx would report it), signs every client in for real (the login form with its
CSRF token for pages, /api/v1/auth/token/ for the API), runs the client threads
for a fixed time, then prints requests/s, p50/p95/p99 latency and the error
count. Every request's status is checked. Afterwards every record type the
clients wrote (customers through the API and the page form, deals, tasks, notes)
is counted company by company: each row must be in its writer's company with its
writer recorded, none missing, none foreign. It removes its database when done.
Goals (README): 0 errors, every row in place; exit code 1 otherwise. Figures go
to bench/results/load.json. `--quick`: 3 companies x 3 staff, 4 clients, 5 s.
"""

from __future__ import annotations

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
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import Run, parser, percentile, r1  # noqa: E402

BENCH_REDIS_DB = "11"
BASE = "imcrm.localhost"
PASSWORD = "Bench-haslo-2024!"
RECORD_TYPES = ("customer", "deal", "task", "note")


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
    """(the bench database's name, its URL, the bench Redis URL)."""
    found = {**os.environ, **_env_file()}  # config/env.py lets services.env win too
    db = found.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imcrm")
    redis_url = found.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    u = urlparse(db)
    name = f"{u.path.lstrip('/') or 'imcrm'}_load"
    bench_redis = redis_url.rsplit("/", 1)[0] + "/" + BENCH_REDIS_DB
    return name, u._replace(path=f"/{name}").geturl(), bench_redis


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


def _prepare(companies: int, staff: int) -> list[Staff]:
    """Runs inside the bench database (DATABASE_URL already points at it)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from crm.accounts.models import Role, User
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
        people.append(Staff(sub, f"szef@{sub}.test"))
        for j in range(1, staff):
            role = Role.KIEROWNIK if j == 1 else Role.PRACOWNIK
            User.objects.create(email=f"osoba{j}@{sub}.test", password=hashed, name=f"Osoba {j}", role=role)
            people.append(Staff(sub, f"osoba{j}@{sub}.test"))
        connection.set_schema_to_public()
    print(f"  {companies} companies x {staff} staff provisioned in {time.monotonic() - started:.1f} s", flush=True)
    return people


# --- the load --------------------------------------------------------------------------


@dataclass
class Written:
    company: str
    writer: str  # e-mail
    writer_recorded: bool  # the row names its writer (owner, author, created_by)


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    # record type -> marker (the row's name, title or body) -> who wrote it where
    written: dict[str, dict[str, Written]] = field(default_factory=lambda: {k: {} for k in RECORD_TYPES})
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One member of staff with a cookie jar. Each request goes on a new connection, as
    nginx sends it to gunicorn in production (no upstream keep-alive): on a client
    keep-alive connection, gunicorn's gthread worker may close an idle connection
    just as the next request arrives, which no user behind nginx would see."""

    def __init__(self, port: int, person: Staff, results: Results) -> None:
        self.port, self.person, self.results = port, person, results
        self.host = f"{person.company}.{BASE}"
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.my_customers: list[int] = []

    @property
    def csrf(self) -> str:
        return self.cookies.get("__Host-csrftoken", "")

    def _call(self, name: str, method: str, path: str, body: Any = None, api: bool = False) -> tuple[int, bytes]:
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        if api:
            if self.token:
                headers["Authorization"] = f"Token {self.token}"
            if body is not None:
                headers["Content-Type"] = "application/json"
                body = json.dumps(body)
        else:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if body is not None:
                headers.update(
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Origin": f"https://{self.host}",
                        "Referer": f"https://{self.host}{path}",
                    }
                )
                body = urlencode(body)
        headers["Connection"] = "close"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            with self.results.lock:
                self.results.requests += 1
                self.results.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            return 0, b""
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        for key, value in resp.getheaders():
            if key.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        with self.results.lock:
            self.results.requests += 1
            self.results.latencies[name].append(elapsed)
        return resp.status, data

    def _expect(self, name: str, status: int, wanted: tuple[int, ...], data: bytes) -> bool:
        if status in wanted:
            return True
        if status == 0:  # no answer at all: already counted by _call
            return False
        with self.results.lock:
            self.results.errors.append(f"{name}: HTTP {status} {data[:200]!r}")
        return False

    def _marker(self) -> str:
        return f"LOAD {self.person.company} {secrets.token_hex(5)}"

    def _written(self, kind: str, marker: str, writer_recorded: bool = True) -> None:
        with self.results.lock:
            self.results.written[kind][marker] = Written(self.person.company, self.person.email, writer_recorded)

    def sign_in(self) -> bool:
        """The login form (GET for the CSRF cookie, POST with the token) and the API token."""
        s, d = self._call("sign in: login form", "GET", "/accounts/login/")
        if not self._expect("sign in: login form", s, (200,), d) or not self.csrf:
            return False
        form = {"csrfmiddlewaretoken": self.csrf, "login": self.person.email, "password": PASSWORD}
        s, d = self._call("sign in: POST login", "POST", "/accounts/login/", form)
        if not self._expect("sign in: POST login", s, (302,), d) or "__Host-sessionid" not in self.cookies:
            return False
        s, d = self._call("sign in: home", "GET", "/")
        if not self._expect("sign in: home", s, (200,), d):
            return False
        s, d = self._call(
            "sign in: API token",
            "POST",
            "/api/v1/auth/token/",
            {"email": self.person.email, "password": PASSWORD},
            True,
        )
        if not self._expect("sign in: API token", s, (200,), d):
            return False
        self.token = str(json.loads(d)["token"])
        return True

    def _customer_create_api(self) -> int | None:
        name = self._marker()
        s, d = self._call("api customer create", "POST", "/api/v1/customers/", {"name": name, "kind": "company"}, True)
        if not self._expect("api customer create", s, (201,), d):
            return None
        self._written("customer", name)
        pk = int(json.loads(d)["id"])
        self.my_customers.append(pk)
        return pk

    def step(self) -> None:
        roll = random.random()
        if roll < 0.20:
            q = random.choice(["", "firma", "load", "ó", "sp"])
            s, d = self._call("api customers list", "GET", f"/api/v1/customers/?search={quote(q)}", api=True)
            self._expect("api customers list", s, (200,), d)
        elif roll < 0.27:
            s, d = self._call("api deals list", "GET", "/api/v1/deals/", api=True)
            self._expect("api deals list", s, (200,), d)
        elif roll < 0.34:
            s, d = self._call("api tasks list", "GET", "/api/v1/tasks/", api=True)
            self._expect("api tasks list", s, (200,), d)
        elif roll < 0.39:
            s, d = self._call("api dashboard", "GET", "/api/v1/dashboard/?days=7", api=True)
            self._expect("api dashboard", s, (200,), d)
        elif roll < 0.51:
            s, d = self._call("page dashboard", "GET", "/")
            self._expect("page dashboard", s, (200,), d)
        elif roll < 0.60:
            s, d = self._call("page customers", "GET", "/customers/?q=firma")
            self._expect("page customers", s, (200,), d)
        elif roll < 0.66 and self.my_customers:
            pk = random.choice(self.my_customers)
            s, d = self._call("page customer card", "GET", f"/customers/{pk}/")
            self._expect("page customer card", s, (200,), d)
        elif roll < 0.74:
            self._customer_create_api()
        elif roll < 0.80:
            customer = random.choice(self.my_customers) if self.my_customers else self._customer_create_api()
            if customer is not None:
                name = self._marker()
                s, d = self._call(
                    "api deal create", "POST", "/api/v1/deals/", {"name": name, "customer": customer}, True
                )
                if self._expect("api deal create", s, (201,), d):
                    self._written("deal", name)
        elif roll < 0.86:
            title = self._marker()
            s, d = self._call("api task create", "POST", "/api/v1/tasks/", {"title": title}, True)
            if self._expect("api task create", s, (201,), d):
                self._written("task", title)
        elif roll < 0.92:
            customer = random.choice(self.my_customers) if self.my_customers else self._customer_create_api()
            if customer is not None:
                body = self._marker()
                s, d = self._call(
                    "api note create", "POST", "/api/v1/notes/", {"customer": customer, "body": body}, True
                )
                if self._expect("api note create", s, (201,), d):
                    self._written("note", body)
        else:
            s, d = self._call("page customer form", "GET", "/customers/new/")
            if not self._expect("page customer form", s, (200,), d):
                return
            name = self._marker()
            body = {"csrfmiddlewaretoken": self.csrf, "name": name, "kind": "company"}
            s, d = self._call("page customer create", "POST", "/customers/new/", body)
            if self._expect("page customer create", s, (302, 303), d):
                # A Szef or Kierownik may leave the owner empty on the form: the row does
                # not name its writer, so only its company is checked.
                self._written("customer", name, writer_recorded=False)


def _run_load(port: int, clients: list[Client], seconds: float) -> float:
    stop = threading.Event()

    def loop(client: Client) -> None:
        while not stop.is_set():
            client.step()

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    return time.monotonic() - started


def _check_rows(written: dict[str, dict[str, Written]], companies: int) -> tuple[list[list[Any]], list[str]]:
    """Count every LOAD row of every record type, company by company: each must be in
    the company of the person who wrote it, name that person where the type records a
    writer, and appear once; nothing written may be missing. Returns the per-type table
    rows and the problems found."""
    from crm.contacts.models import Customer
    from crm.notes.models import Note
    from crm.sales.models import Deal
    from crm.tasks.models import Task
    from tenants.db import connection
    from tenants.models import Company

    models = {
        "customer": (Customer, "name", "owner__email"),
        "deal": (Deal, "name", "owner__email"),
        "task": (Task, "title", "created_by__email"),
        "note": (Note, "body", "author__email"),
    }
    found: dict[str, dict[str, list[tuple[str, str | None]]]] = {k: defaultdict(list) for k in models}
    for i in range(companies):
        sub = f"load{i:02d}"
        connection.set_tenant(Company.objects.get(subdomain=sub))
        try:
            for kind, (model, marker, writer) in models.items():
                rows = model.objects.filter(**{f"{marker}__startswith": "LOAD "}).values_list(marker, writer)
                for text, email in rows:
                    found[kind][text].append((sub, email))
        finally:
            connection.set_schema_to_public()

    table, problems = [], []
    for kind in models:
        wanted = written[kind]
        missing = [m for m in wanted if m not in found[kind]]
        misplaced = foreign = wrong_writer = twice = 0
        for text, places in found[kind].items():
            entry = wanted.get(text)
            if entry is None:
                foreign += len(places)
                problems.append(f"{kind} {text!r} in {places[0][0]}: nobody wrote it there")
                continue
            if len(places) > 1:
                twice += 1
                problems.append(f"{kind} {text!r} stored {len(places)} times: {places}")
            sub, email = places[0]
            if sub != entry.company:
                misplaced += 1
                problems.append(f"{kind} {text!r} written by {entry.writer} ({entry.company}) found in {sub}")
            elif entry.writer_recorded and email != entry.writer:
                wrong_writer += 1
                problems.append(f"{kind} {text!r} written by {entry.writer} names {email}")
        problems += [f"{kind} {m!r} written by {wanted[m].writer} ({wanted[m].company}) is missing" for m in missing]
        in_place = len(wanted) - len(missing) - misplaced - twice - wrong_writer
        table.append([kind, len(wanted), in_place, len(missing), misplaced + foreign, wrong_writer, twice])
    return table, problems


def _sign_in_all(clients: list[Client]) -> None:
    """Every client signs in, a few at a time (each sign-in hashes the password twice)."""
    done = threading.Semaphore(4)

    def one(client: Client) -> None:
        with done:
            client.sign_in()

    threads = [threading.Thread(target=one, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--companies", type=int, help="default 20 (--quick: 3)")
    args_parser.add_argument("--staff", type=int, help="per company, default 10 (--quick: 3)")
    args_parser.add_argument("--seconds", type=float, help="default 30 (--quick: 5)")
    args_parser.add_argument("--clients", type=int, help="concurrent client threads, staff picked at random (24; 4)")
    args_parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (4 threads each)")
    args = args_parser.parse_args()
    quick = args.quick
    companies = args.companies or (3 if quick else 20)
    staff = args.staff or (3 if quick else 10)
    seconds = args.seconds or (5.0 if quick else 30.0)
    clients_n = args.clients or (4 if quick else 24)
    params = {
        "companies": companies,
        "staff": staff,
        "seconds": seconds,
        "clients": clients_n,
        "gunicorn": f"{args.workers} workers x 4 threads",
    }
    run = Run("load", quick=quick, params=params)

    db_name, bench_db, bench_redis = _urls()
    print(f"[load] database {db_name}, Redis db {BENCH_REDIS_DB}", flush=True)
    _admin_exec(bench_db, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    _admin_exec(bench_db, f'CREATE DATABASE "{db_name}"')
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
        prepare_started = time.monotonic()
        people = _prepare(companies, staff)
        run.figures["setup_s"] = r1(time.monotonic() - prepare_started)

        port = _free_port()
        (ROOT / ".local").mkdir(exist_ok=True)
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

        signing = Results()
        clients = [Client(port, person, signing) for person in random.sample(people, min(clients_n, len(people)))]
        started = time.monotonic()
        _sign_in_all(clients)
        signed_in = sum(1 for c in clients if c.token and "__Host-sessionid" in c.cookies)
        print(f"[load] {signed_in}/{len(clients)} clients signed in in {time.monotonic() - started:.1f} s", flush=True)
        if signed_in != len(clients):
            signing.errors.append(f"{len(clients) - signed_in} clients could not sign in")
        clients = [c for c in clients if c.token]

        warm = Results()  # warm-up: imports, connections, caches; checked, not timed
        for client in clients:
            client.results = warm
        _run_load(port, clients, 3)
        results = Results()
        for client in clients:
            client.results = results
        print(f"[load] {len(clients)} clients for {seconds:.0f} s on {args.workers} gunicorn workers", flush=True)
        elapsed = _run_load(port, clients, seconds)

        for other in (signing, warm):
            results.errors += other.errors
            for kind in RECORD_TYPES:
                results.written[kind].update(other.written[kind])
        run.requests_checked = signing.requests + warm.requests + results.requests
        for line in results.errors:
            run.error(line)

        all_latencies = [x * 1000 for values in results.latencies.values() for x in values]
        total = len(all_latencies)
        signin = [x * 1000 for values in signing.latencies.values() for x in values]
        summary = run.table("", ["figure", "value"])
        summary.rows += [
            ["requests (timed part)", f"{total} in {elapsed:.1f} s = {total / elapsed:.1f} requests/s"],
            [
                "latency p50 / p95 / p99 / mean",
                f"{percentile(all_latencies, 50):.1f} / {percentile(all_latencies, 95):.1f} / "
                f"{percentile(all_latencies, 99):.1f} / {statistics.mean(all_latencies):.1f} ms",
            ],
            ["errors (sign-in, warm-up and timed part)", f"{run.error_count} in {run.requests_checked} requests"],
            [
                "sign-in (login form + API token)",
                f"{signed_in} of {min(clients_n, len(people))} clients; request p50 {percentile(signin, 50):.0f} ms",
            ],
        ]
        run.figures.update(
            requests=total,
            elapsed_s=r1(elapsed),
            requests_per_s=r1(total / elapsed),
            latency_ms={
                "p50": r1(percentile(all_latencies, 50)),
                "p95": r1(percentile(all_latencies, 95)),
                "p99": r1(percentile(all_latencies, 99)),
                "mean": r1(statistics.mean(all_latencies)),
            },
        )
        for row in summary.rows:
            print(f"{row[0]:<44}{row[1]}")
        operations = run.table("Per operation (timed part)", ["operation", "count", "p50 ms", "p95 ms", "p99 ms"])
        for name, values in sorted(results.latencies.items()):
            ms_values = [x * 1000 for x in values]
            operations.rows.append(
                [name, len(values), r1(percentile(ms_values, 50)), r1(percentile(ms_values, 95)),
                 r1(percentile(ms_values, 99))]
            )  # fmt: skip
            print("{:<24}{:>7}{:>9.1f}{:>9.1f}{:>9.1f}".format(*operations.rows[-1]))

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        check_rows, problems = _check_rows(results.written, companies)
        rows_table = run.table(
            "Rows written, counted afterwards company by company",
            ["record type", "written", "in its writer's company", "missing", "foreign", "wrong writer", "twice"],
        )
        rows_table.rows += check_rows
        for row in check_rows:
            print(
                "row check {:<10} written {:>5}, in place {:>5}, missing {}, foreign {}, wrong writer {}, twice {}".format(
                    *row
                )
            )
        for line in problems:
            run.error(f"row check: {line}")
        written = sum(r[1] for r in check_rows)
        run.goal(
            "0 errors",
            f"{run.error_count - len(problems)} in {run.requests_checked} requests",
            run.error_count == len(problems),
        )
        run.goal(
            "every row written is in its writer's company, none missing or foreign",
            f"{written} rows of {len(check_rows)} types; {len(problems)} problems",
            not problems and all(r[1] > 0 for r in check_rows),
        )
        if any(r[1] == 0 for r in check_rows):
            run.notes.append("Some record type got no writes: run longer or with more clients.")
    except Exception as exc:
        traceback.print_exc()
        run.error(f"{type(exc).__name__}: {exc}")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        _admin_exec(bench_db, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(static, ignore_errors=True)
        try:
            import redis

            redis.Redis.from_url(bench_redis).flushdb()
        except Exception:
            pass
    return run.finish()


if __name__ == "__main__":
    sys.exit(main())
