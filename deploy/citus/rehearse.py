"""Rehearse ImCRM on Citus schema-based sharding: a coordinator and two workers on this machine.

    deploy/citus/rehearse [citus-source.tar.gz]

Uses an installed Citus or builds it (deploy/citus/build), makes three PostgreSQL 15 clusters
under /var/tmp/imcrm-citus (ports 5491 coordinator, 5492 and 5493 workers), the database
`imcrm_citus` with the extension on each node, then runs the product against the coordinator
and checks, one PASS/FAIL line each: migrations, signup from the pool and with an empty pool,
pages and API of a company, the operator's cross-company reads, a real Celery worker running a
company's task (the welcome e-mail) and the operator's export of a company (the archive built by
the worker, read back), that companies are spread over both workers (`citus_schemas`), that no
table of a company schema is left local on the coordinator, an online move of a company to the
other worker under API load, company deletion, and signup / request latency next to plain
PostgreSQL (the main server, database `imcrm_citus_plain`). The worker's broker is a database
of the local Redis (IMCRM_CITUS_REDIS_URL, default redis://127.0.0.1:6379/14). Stops the
clusters it started at the end. Not part of `make test`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(os.environ.get("IMCRM_CITUS_DIR", "/var/tmp/imcrm-citus"))
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PORTS = {"coordinator": 5491, "worker1": 5492, "worker2": 5493}
DB = "imcrm_citus"
PLAIN_DB = "imcrm_citus_plain"
PLAIN_URL = f"postgres://postgres@127.0.0.1:5432/{PLAIN_DB}"
# The Celery worker's broker: a database of the local Redis of its own (flushed before and after).
REDIS_URL = os.environ.get("IMCRM_CITUS_REDIS_URL", "redis://127.0.0.1:6379/14")
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""), flush=True)
    return ok


def as_postgres(*cmd: str, **kw: object) -> subprocess.CompletedProcess[str]:
    full = list(cmd) if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(full, capture_output=True, text=True, **kw)  # type: ignore[call-overload]


def psql(port: int, sql: str, db: str = DB) -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(out.stderr.strip())
    return out.stdout.strip()


def clusters_start() -> None:
    BASE.mkdir(parents=True, exist_ok=True)
    shutil.chown(BASE, "postgres", "postgres") if os.geteuid() == 0 else None
    for name, port in PORTS.items():
        data = BASE / name
        if not (data / "PG_VERSION").exists():
            as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", check=True)
            with open(data / "postgresql.conf", "a") as conf:
                conf.write(
                    f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{BASE}'\n"
                    "shared_preload_libraries = 'citus'\nwal_level = logical\nmax_connections = 200\n"
                    "shared_buffers = 128MB\ncitus.enable_schema_based_sharding = on\nfsync = off\n"
                    # the sales triggers (crm/sales/deal_owners.py, pipeline_totals.py) fire on the node
                    # that holds the company; Citus calls triggers on distributed tables "unsafe"
                    "citus.enable_unsafe_triggers = on\n"
                )
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(BASE / f"{name}.log"), "-w", "start")
    for port in PORTS.values():  # a fresh database on every node, each run
        psql(port, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)', db="postgres")
        psql(port, f'CREATE DATABASE "{DB}"', db="postgres")
        psql(port, "CREATE EXTENSION citus")
    coordinator = PORTS["coordinator"]
    psql(coordinator, f"SELECT citus_set_coordinator_host('127.0.0.1', {coordinator})")
    for worker in ("worker1", "worker2"):
        psql(coordinator, f"SELECT * FROM citus_add_node('127.0.0.1', {PORTS[worker]})")


def clusters_stop() -> None:
    for name in PORTS:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(BASE / name), "-m", "fast", "stop")


def product_env(url: str) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=url,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings",
        IMCRM_NO_SERVICES_ENV="1",
        IMCRM_POOL_SIZE="0",
        CONN_MAX_AGE="0",
        EMAIL_URL="consolemail://",
    )


def product(url: str, code: str, timeout: int = 1800, queue: bool = False) -> tuple[bool, str]:
    """Run `code` in a Django process against `url`; the last line it prints is JSON.
    Background jobs are dropped unless `queue` (then they go to the broker, REDIS_URL)."""
    env = product_env(url)
    prelude = "import django, json, sys, time; sys.path.insert(0, '.'); django.setup()\n" + (
        "" if queue else "from tenants import queue; queue.enqueue = lambda *a, **k: None\n"
    )
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", prelude + code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    text = (out.stdout.strip().splitlines() or [""])[-1]
    return out.returncode == 0, text if out.returncode == 0 else (out.stderr.strip().splitlines() or ["?"])[-1]


SIGNUPS = """
from django.core.management import call_command
from django.contrib.auth.hashers import make_password
from tenants.pool import pool_fill
from tenants.services import public_tenant_ensure, tenant_provision
call_command('migrate_schemas', shared=True, interactive=False, verbosity=0)
public_tenant_ensure()
pw = make_password('Zielona-Herbata-77')
times = {'empty': [], 'pool': []}
for i in range(N):
    t = time.perf_counter(); r = tenant_provision(name=f'Citus {i}', subdomain=f'ct{i:03d}e', email=f'szef@ct{i:03d}e.test', password_hash=pw)
    times['empty'].append((time.perf_counter() - t) * 1000)
pool_fill(target=N)
for i in range(N):
    t = time.perf_counter(); r = tenant_provision(name=f'Citus P {i}', subdomain=f'ct{i:03d}p', email=f'szef@ct{i:03d}p.test', password_hash=pw)
    assert r.from_pool
    times['pool'].append((time.perf_counter() - t) * 1000)
print(json.dumps(times))
"""

REQUESTS = """
from django.test import Client
from tenants.models import Company
from tenants.db import connection
from crm.accounts.models import User
from billing_saas.selectors import company_usage
from tenants.selectors import companies_for_email
walls = {'/': [], '/api/v1/customers/': []}; bad = []
companies = list(Company.objects.real().filter(subdomain__startswith='ct'))
for c in companies:
    connection.set_tenant(c); u = User.objects.get(email=f'szef@{c.subdomain}.test')
    client = Client(HTTP_HOST=f'{c.subdomain}.imcrm.localhost'); client.force_login(u); connection.set_schema_to_public()
    for path in walls:
        client.get(path); t = time.perf_counter(); r = client.get(path)
        walls[path].append((time.perf_counter() - t) * 1000)
        if r.status_code != 200: bad.append(f'{c.subdomain}{path}: {r.status_code}')
    connection.set_schema_to_public()
usage = company_usage([c.schema_name for c in companies])
print(json.dumps({'walls': walls, 'bad': bad, 'usage': len(usage), 'companies': len(companies)}))
"""


LOAD = """
from django.test import Client
from tenants.models import Company
from tenants.db import connection
from crm.accounts.models import User
import os
c = Company.objects.get(subdomain='ct000p')
connection.set_tenant(c); u = User.objects.get(email='szef@ct000p.test')
client = Client(HTTP_HOST='ct000p.imcrm.localhost'); client.force_login(u); connection.set_schema_to_public()
codes = {}
client.get('/api/v1/customers/'); open(READY, 'w').close()
while not os.path.exists(STOP):
    code = client.get('/api/v1/customers/').status_code
    codes[code] = codes.get(code, 0) + 1
print(json.dumps(codes))
"""

DELETE = """
from tenants.models import Company
from tenants.services import tenant_delete
c = Company.objects.get(subdomain='ct001e'); schema = c.schema_name
tenant_delete(company=c)
from tenants.db import connection
with connection.cursor() as cur:
    cur.execute('SELECT count(*) FROM pg_namespace WHERE nspname = %s', [schema]); left = cur.fetchone()[0]
    cur.execute('SELECT count(*) FROM citus_schemas WHERE schema_name::text = %s', [schema]); listed = cur.fetchone()[0]
print(json.dumps({'schema': schema, 'left': left, 'listed': listed}))
"""


CELERY_JOBS = """
from tenants.models import Company
from tenants.db import connection
from tenants.queue import broker_answers, enqueue
from tenants.tasks import company_welcome_email_send
from crm.accounts.models import User
from billing_saas import operator_services as ops
from billing_saas.models import CompanyExport
from billing_saas.exports import export_open
import zipfile
assert broker_answers(), 'the broker does not answer'
connection.set_schema_to_public()
company = Company.objects.get(subdomain='ct002p')
enqueue(company_welcome_email_send, company.pk, run_inline_if_down=False)
operator = User.objects.filter(email='operator@citus.test').first() or User.objects.create_user(
    'operator@citus.test', 'Zielona-Herbata-77', name='Operator', is_staff=True)
export = ops.export_request(company=company, operator=operator, reason='Citus rehearsal')
deadline = time.monotonic() + 300
while export.status == CompanyExport.Status.PENDING and time.monotonic() < deadline:
    time.sleep(0.5); export.refresh_from_db()
assert export.status == CompanyExport.Status.READY, f'export {export.status}: {export.error}'
with zipfile.ZipFile(export_open(export)) as archive:
    manifest = json.loads(archive.read('manifest.json'))
    customers = archive.read('tables/contacts_customer.csv').decode() if 'tables/contacts_customer.csv' in archive.namelist() else ''
print(json.dumps({'schema': manifest['schema'], 'tables': len(manifest['tables']), 'rows': sum(manifest['tables'].values()),
                  'customers_header': customers.splitlines()[0][:60] if customers else ''}))
"""


def celery_jobs(citus_url: str) -> None:
    """A real worker (every queue of IMCRM_CELERY_QUEUES: exports go to `imports`) on the coordinator:
    a company's task and the operator's export, both queued through the broker and run by the
    worker, not inline. The console e-mail backend prints into the worker's log (Celery redirects
    stdout to it)."""
    import redis

    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    log, printed = BASE / "worker.log", BASE / "worker.out"  # its log; its stdout (the console e-mail)
    log.unlink(missing_ok=True)
    out_file = printed.open("w")
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-m", "celery", "-A", "config", "worker", "-Q", "celery,mail,imports,ksef",
         "-l", "info", "--concurrency", "2", "--logfile", str(log)],
        cwd=ROOT, env=product_env(citus_url), stdout=out_file, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        ok, out = product(citus_url, CELERY_JOBS, timeout=600, queue=True)
        names = ("tenants.company_welcome_email_send", "billing_saas.company_export_build")
        deadline = time.monotonic() + 60  # the e-mail may still be on its way when the export is ready
        while True:
            text = (log.read_text(errors="replace") if log.exists() else "") + printed.read_text(errors="replace")
            ran = {name: re.search(rf"Task {re.escape(name)}\[[^\]]+\] succeeded", text) is not None for name in names}
            mailed = "To: szef@ct002p.test" in text
            if (all(ran.values()) and mailed) or not ok or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        welcome = ok and ran["tenants.company_welcome_email_send"] and mailed
        check(
            "Celery worker runs a company's task (welcome e-mail) on Citus",
            welcome,
            f"succeeded: {ran}; mailed: {mailed}",
        )
        data = json.loads(out) if ok else {}
        exported = ok and ran["billing_saas.company_export_build"] and data.get("tables", 0) > 10
        check("operator's export of a company built by the worker and read back", exported, out[:300])
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        out_file.close()
        broker.flushdb()


def product_start(url: str, code: str) -> subprocess.Popen[str]:
    env = product_env(url)
    prelude = "import django, json, sys, time; sys.path.insert(0, '.'); django.setup()\n"
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-c", prelude + code],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def online_move(coordinator: int, citus_url: str) -> None:
    schema = psql(coordinator, "SELECT schema_name FROM tenants_company WHERE subdomain = 'ct000p'")
    row = psql(
        coordinator,
        "SELECT shardid, nodeport FROM citus_shards WHERE citus_table_type = 'schema'"
        f" AND table_name::text LIKE '{schema}.%' ORDER BY shardid LIMIT 1",
    )
    shard, port = row.split("|")
    target = PORTS["worker1"] if int(port) == PORTS["worker2"] else PORTS["worker2"]
    stop = BASE / "load.stop"
    ready = BASE / "load.ready"
    stop.unlink(missing_ok=True)
    ready.unlink(missing_ok=True)
    load = product_start(citus_url, LOAD.replace("STOP", repr(str(stop))).replace("READY", repr(str(ready))))
    deadline = time.monotonic() + 180
    while not ready.exists() and load.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    started = time.perf_counter()
    psql(
        coordinator,
        f"SELECT citus_move_shard_placement({shard}, '127.0.0.1', {port}, '127.0.0.1', {target}, 'force_logical')",
    )
    moved_s = time.perf_counter() - started
    time.sleep(3)
    stop.touch()
    out, err = load.communicate(timeout=120)
    codes = json.loads((out.strip().splitlines() or ["{}"])[-1] or "{}") if load.returncode == 0 else {}
    now = psql(coordinator, f"SELECT DISTINCT nodeport FROM citus_shards WHERE table_name::text LIKE '{schema}.%'")
    ok = now == str(target) and sum(codes.values()) >= 10 and set(codes) == {"200"}
    check(
        "company moved to the other worker online under API load",
        ok,
        f"{schema}: {port} -> {now} in {moved_s:.1f} s; API answers {codes or err.strip()[-200:]}",
    )


def p50(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else 0.0


def main() -> int:
    tarball = sys.argv[1] if len(sys.argv) > 1 else ""
    build = subprocess.run([str(ROOT / "deploy/citus/build"), *([tarball] if tarball else [])])
    if not check("Citus installed", build.returncode == 0):
        return 1
    coordinator = PORTS["coordinator"]
    citus_url = f"postgres://postgres@127.0.0.1:{coordinator}/{DB}"
    figures: dict[str, object] = {}
    try:
        clusters_start()
        nodes = psql(coordinator, "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary'")
        check("coordinator and two workers", nodes == "3", f"{nodes} primary nodes (coordinator included)")

        n = 4
        ok, out = product(citus_url, SIGNUPS.replace("N", str(n)))
        check("migrations and signup (empty pool, then from the pool) on Citus", ok, out[:300])
        if ok:
            times = json.loads(out)
            figures["citus_signup_empty_p50_ms"] = p50(times["empty"])
            figures["citus_signup_pool_p50_ms"] = p50(times["pool"])
        ok, out = product(citus_url, REQUESTS)
        good = ok and json.loads(out)["companies"] > 0 and not json.loads(out)["bad"]
        if check("dashboard and API list of every company", good, out[:300]):
            data = json.loads(out)
            figures["citus_dashboard_p50_ms"] = p50(data["walls"]["/"])
            figures["citus_api_p50_ms"] = p50(data["walls"]["/api/v1/customers/"])
            check("operator's cross-company usage read", data["usage"] == data["companies"], f"{data['usage']}")
        spread = psql(
            coordinator,
            "SELECT nodeport, count(*) FROM citus_schemas s JOIN citus_shards sh ON sh.colocation_id = s.colocation_id"
            " GROUP BY nodeport ORDER BY nodeport",
        )
        ports = {line.split("|")[0] for line in spread.splitlines()}
        check(
            "companies spread over both workers (citus_schemas)", {"5492", "5493"} <= ports, spread.replace("\n", "; ")
        )
        local = psql(
            coordinator,
            "SELECT count(*) FROM pg_tables t JOIN citus_schemas s ON s.schema_name::text = t.schemaname"
            " WHERE (t.schemaname || '.' || t.tablename)::regclass NOT IN (SELECT logicalrelid FROM pg_dist_partition)",
        )
        check("no table of a company schema left local on the coordinator", local == "0", f"{local} local")
        celery_jobs(citus_url)
        online_move(coordinator, citus_url)
        ok, out = product(citus_url, DELETE)
        gone = ok and json.loads(out)["left"] == 0 and json.loads(out)["listed"] == 0
        check("company deletion drops its distributed schema", gone, out[:300])
        # the same signups and requests on plain PostgreSQL, in the same run
        psql(5432, f'DROP DATABASE IF EXISTS "{PLAIN_DB}" WITH (FORCE)', db="postgres")
        psql(5432, f'CREATE DATABASE "{PLAIN_DB}"', db="postgres")
        ok, out = product(PLAIN_URL, SIGNUPS.replace("N", str(n)))
        if check("the same signups on plain PostgreSQL", ok, out[:200]):
            times = json.loads(out)
            figures["plain_signup_empty_p50_ms"] = p50(times["empty"])
            figures["plain_signup_pool_p50_ms"] = p50(times["pool"])
        ok, out = product(PLAIN_URL, REQUESTS)
        if check("the same requests on plain PostgreSQL", ok and not json.loads(out)["bad"], out[:200]):
            data = json.loads(out)
            figures["plain_dashboard_p50_ms"] = p50(data["walls"]["/"])
            figures["plain_api_p50_ms"] = p50(data["walls"]["/api/v1/customers/"])
        psql(5432, f'DROP DATABASE IF EXISTS "{PLAIN_DB}" WITH (FORCE)', db="postgres")
    except Exception as exc:
        check("rehearsal ran to the end", False, f"{type(exc).__name__}: {exc}")
    finally:
        clusters_stop()
    print(json.dumps(figures))
    failed = [name for name, ok, _ in results if not ok]
    print(f"\nSUMMARY: {'PASS' if not failed else 'FAIL'} ({len(results) - len(failed)}/{len(results)} checks passed)")
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
