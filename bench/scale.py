"""Many companies on one database: grows a database of its own through the pool/template path
and measures what schema-per-company costs at each size.

    python bench/scale.py [--quick] [--sizes 10,1000] [--batch 50] [--fresh]

The database is `<DATABASE_URL's name>_scale` on the same server (never the dev or the test
one), kept between runs: growing is resumable (a run continues from the companies already
there; `--fresh` starts over). Redis: REDIS_URL with the database number
IMCRM_BENCH_REDIS_DB (default 15: a stock Redis has 16), flushed at the end. `--quick`: sizes 10 and 50.

Companies are made in batches: the pool is filled by template replay (`pool_fill`, as the
background refill does), then each company is claimed by `tenant_provision`, exactly as signup
calls it. At each size it measures:
- signup server time p50/p95 (the last companies made, each claiming a pooled schema);
- p95 of the dashboard and of an API list (`/api/v1/customers/`) for random companies, in this
  process through Django's test client (the routing cache as in production);
- the memory of this process (the "worker") after serving one request in each of many
  different companies, against after serving ten;
- catalog rows and sizes, and disk size per company; `pg_dump` of one company;
- a no-op `migrate_schemas` over every company; adding one column to a table in every company
  schema (the bare DDL); and a real one-column migration through `migrate_schemas --tenant`
  (two migration files written into crm/notes/migrations for the run and removed after it);
- the beat fan-out of the task reminders (`tasks.task_reminders_fanout`): the scheduler's time,
  with as many chunk messages as 10,000 companies make (`tenants.fanout.FANOUT_CHUNK`), pushed to
  Redis; projected linearly to 10,000 (conservative: the pushes do not grow).
Goals (issue 19): request p95 at the largest size within 10 % of the smallest; worker memory
flat (< 50 MB more after many companies than after ten); no-op migrate over 1,000 companies
< 2 min and a one-column migration < 5 min; beat fan-out over 10,000 companies < 1 min. Sizes
below those counts are projected linearly from the largest size measured (said so in the goal).
Figures go to bench/results/scale.json (bench/common.py); exit code 1 when a goal is missed.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Run, parser, percentile, r1, sql_logging_off, timed_get

PASSWORD = "Zielona-Herbata-77"
PREFIX = "sc"  # subdomains sc00001, sc00002, ...
GOAL_REQUEST_RATIO = 1.10
GOAL_MEMORY_MB = 50.0
GOAL_NOOP_MIGRATE_S = 120.0  # at 1,000 companies
GOAL_COLUMN_MIGRATE_S = 300.0  # at 1,000 companies
GOAL_FANOUT_S = 60.0  # at 10,000 companies


def _database() -> tuple[str, str]:
    """(name, URL) of the bench's own database; DATABASE_URL is pointed at it before Django starts."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imcrm")
    u = urlparse(url)
    name = f"{u.path.lstrip('/') or 'imcrm'}_scale"
    return name, u._replace(path=f"/{name}").geturl()


def _admin(url: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    u = urlparse(url)
    with psycopg.connect(
        host=u.hostname or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
        password=u.password or None, dbname="postgres", autocommit=True,
    ) as conn:  # fmt: skip
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--sizes", help="company counts to measure at (default 10,1000; --quick: 10,50)")
    args_parser.add_argument("--batch", type=int, default=50, help="pool schemas built per batch")
    args_parser.add_argument("--fresh", action="store_true", help="drop the bench database first")
    args_parser.add_argument("--samples", type=int, default=30, help="timed requests per page and size")
    args = args_parser.parse_args()
    sizes = sorted({int(s) for s in (args.sizes or ("10,50" if args.quick else "10,1000")).split(",")})

    name, url = _database()
    if args.fresh:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not _admin(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        _admin(url, f'CREATE DATABASE "{name}"')
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis_url = redis_url.rsplit("/", 1)[0] + "/" + os.environ.get("IMCRM_BENCH_REDIS_DB", "15")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        REDIS_URL=redis_url,
        IMCRM_NO_SERVICES_ENV="1",
        IMCRM_POOL_SIZE="0",
        CONN_MAX_AGE="0",
    )

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.test import Client

    from crm.accounts.models import User
    from crm.tasks.tasks import task_reminders_fanout
    from tenants import fanout, queue
    from tenants.db import connection
    from tenants.models import Company
    from tenants.pool import pool_fill
    from tenants.services import public_tenant_ensure, tenant_provision
    from tenants.urls_helpers import company_host

    run = Run("scale", quick=args.quick, params={"sizes": sizes, "batch": args.batch})
    sql_logging_off()
    queue.enqueue = lambda task, *a, **kw: None  # welcome mail, pool refill
    print(f"[scale] database {name}, Redis {redis_url}, sizes {sizes}", flush=True)

    t0 = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    public_tenant_ensure()
    print(f"[scale] public schema ready in {time.perf_counter() - t0:.1f} s", flush=True)
    password_hash = make_password(PASSWORD)

    def companies() -> list[Company]:
        connection.set_schema_to_public()
        return list(Company.objects.real().filter(subdomain__startswith=PREFIX).order_by("id"))

    def grow(target: int) -> list[float]:
        """Companies up to `target`; server time (ms) of each signup made here."""
        made = len(companies())
        times: list[float] = []
        while made < target:
            step = min(args.batch, target - made)
            connection.set_schema_to_public()
            pool_fill(target=step)
            for _ in range(step):
                made += 1
                sub = f"{PREFIX}{made:05d}"
                started = time.perf_counter()
                result = tenant_provision(
                    name=f"Firma {sub}", subdomain=sub, email=f"szef@{sub}.test", password_hash=password_hash
                )
                times.append((time.perf_counter() - started) * 1000)
                if not result.from_pool:
                    run.error(f"{sub}: signup did not claim a pooled schema")
            print(f"[scale] {made} companies", flush=True)
        return times

    def page_p95(sample: list[Company], path: str) -> float:
        walls = []
        for company in sample:
            client = Client(HTTP_HOST=company_host(company.subdomain or ""))
            connection.set_tenant(company)
            owner = User.objects.filter(email=f"szef@{company.subdomain}.test").first()
            if owner is None:
                run.error(f"{company.subdomain}: no Szef")
                continue
            client.force_login(owner)  # last_login is saved in the company's schema
            connection.set_schema_to_public()
            client.get(path)  # warm this company's caches once, then time
            status, wall, _cpu, body = timed_get(client, path)
            run.expect(f"{company.subdomain} {path}", status, body=body)
            walls.append(wall)
            connection.set_schema_to_public()
        return percentile(walls, 95) if walls else 0.0

    def catalog() -> dict[str, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            )
            relations = cursor.fetchone()[0]
            cursor.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'"
            )
            catalog_bytes = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            database_bytes = cursor.fetchone()[0]
        return {
            "relations": float(relations),
            "catalog_mb": float(catalog_bytes) / 2**20,
            "database_mb": float(database_bytes) / 2**20,
        }

    def dump_one(company: Company) -> tuple[float, float]:
        db = connection.settings_dict
        cmd = ["pg_dump", "--schema", company.schema_name, "--no-owner", "--host", str(db.get("HOST") or "127.0.0.1")]
        cmd += ["--port", str(db.get("PORT") or 5432), "--username", str(db.get("USER") or "postgres"), str(db["NAME"])]
        started = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, check=True, timeout=600).stdout
        return time.perf_counter() - started, len(out) / 2**20

    def add_column_everywhere(schemas: list[str]) -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for schema in schemas:
                cursor.execute(f'ALTER TABLE "{schema}".contacts_customer ADD COLUMN bench_scale_note text')
        elapsed = time.perf_counter() - started
        with connection.cursor() as cursor:
            for schema in schemas:
                cursor.execute(f'ALTER TABLE "{schema}".contacts_customer DROP COLUMN bench_scale_note')
        return elapsed

    def column_migration() -> float:
        """A real one-column migration through `migrate_schemas --tenant` (a subprocess, as a
        release runs it): two migration files written for the run into crm/notes/migrations
        (add a nullable column to the timeline, then remove it) and deleted afterwards, with
        their django_migrations rows."""
        from django.db.migrations.loader import MigrationLoader

        folder = Path(__file__).resolve().parents[1] / "crm" / "notes" / "migrations"
        leaf = max(
            name for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes() if app == "notes"
        )
        head = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        add, remove = folder / "9990_bench_scale_add.py", folder / "9991_bench_scale_remove.py"
        field = "models.TextField(null=True)"
        add.write_text(
            head + f"    dependencies = [('notes', '{leaf}')]\n"
            f"    operations = [migrations.AddField('timelineevent', 'bench_scale_note', {field})]\n"
        )
        remove.write_text(
            head + "    dependencies = [('notes', '9990_bench_scale_add')]\n"
            "    operations = [migrations.RemoveField('timelineevent', 'bench_scale_note')]\n"
        )
        try:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "migrate_schemas", "--tenant", "--noinput", "-v", "0"],
                cwd=folder.parents[2], check=True, timeout=3600,
            )  # fmt: skip
            return (time.perf_counter() - started) / 2  # two migrations: one is the figure
        finally:
            add.unlink(missing_ok=True)
            remove.unlink(missing_ok=True)
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                for company in Company.objects.all():
                    cursor.execute(
                        f'DELETE FROM "{company.schema_name}".django_migrations WHERE name LIKE %s',
                        ["999%_bench_scale_%"],
                    )

    table = run.table(
        "",
        [
            "companies",
            "signup p50 ms",
            "signup p95 ms",
            "dashboard p95 ms",
            "API list p95 ms",
            "worker RSS after 10 / all companies MB",
            "catalog MB per company",
            "disk MB per company",
            "pg_dump of one s",
            "no-op migrate_schemas s",
            "add a column (DDL) s",
            "one-column migration s",
            "beat fan-out s",
        ],
    )
    measured: dict[int, dict[str, float]] = {}
    try:
        for size in sizes:
            signups = grow(size)
            everyone = companies()[:size]
            count = len(everyone)
            if len(signups) < 10:  # resumed at or past this size: time ten more signups, measure at the total
                signups = signups + grow(len(companies()) + 10)
                everyone = companies()
                count = len(everyone)
            recent = signups[-min(len(signups), 50) :]
            rng = random.Random(size)
            sample = [rng.choice(everyone) for _ in range(args.samples)]
            dashboard = page_p95(sample, "/")
            api = page_p95(sample, "/api/v1/customers/")
            rss_10 = rss_mb()
            many = everyone[: min(count, 1000)]
            page_p95(many, "/api/v1/customers/")
            rss_all = rss_mb()
            cat = catalog()
            dump_s, dump_mb = dump_one(rng.choice(everyone))
            started = time.perf_counter()
            call_command("migrate_schemas", interactive=False, verbosity=0)
            noop = time.perf_counter() - started
            connection.set_schema_to_public()
            column = add_column_everywhere([c.schema_name for c in everyone])
            migration = column_migration()
            from celery import current_app

            current_app.conf.task_always_eager = False
            # the scheduler's share: at 10,000 companies beat pushes 10,000 / FANOUT_CHUNK chunk
            # messages; here the same number of chunks is made of this size's companies
            chunks = -(-10000 // fanout.FANOUT_CHUNK)
            saved_chunk, fanout.FANOUT_CHUNK = fanout.FANOUT_CHUNK, max(1, -(-count // chunks))
            started = time.perf_counter()
            connection.set_schema_to_public()
            try:
                fanned = task_reminders_fanout()
            finally:
                fanout.FANOUT_CHUNK = saved_chunk
            fanout_s = time.perf_counter() - started
            if fanned < count:
                run.error(f"fan-out reached {fanned} of {count} companies")
            figures = {
                "companies": count,
                "signup_p50_ms": percentile(recent, 50),
                "signup_p95_ms": percentile(recent, 95),
                "dashboard_p95_ms": dashboard,
                "api_p95_ms": api,
                "rss_10_mb": rss_10,
                "rss_all_mb": rss_all,
                "companies_served": len(many),
                "catalog_mb_per_company": cat["catalog_mb"] / count,
                "disk_mb_per_company": cat["database_mb"] / count,
                "relations": cat["relations"],
                "pg_dump_s": dump_s,
                "pg_dump_mb": dump_mb,
                "noop_migrate_s": noop,
                "add_column_s": column,
                "column_migration_s": migration,
                "fanout_s": fanout_s,
            }
            measured[size] = figures
            table.rows.append(
                [
                    count,
                    r1(figures["signup_p50_ms"]),
                    r1(figures["signup_p95_ms"]),
                    r1(dashboard),
                    r1(api),
                    f"{rss_10:.0f} / {rss_all:.0f} ({len(many)} served)",
                    round(figures["catalog_mb_per_company"], 2),
                    round(figures["disk_mb_per_company"], 2),
                    round(dump_s, 2),
                    r1(noop),
                    r1(column),
                    r1(migration),
                    round(fanout_s, 2),
                ]
            )
            print("[scale] " + ", ".join(f"{k}={round(v, 2)}" for k, v in figures.items()), flush=True)
        run.figures = {str(size): {k: round(v, 3) for k, v in f.items()} for size, f in measured.items()}

        small, large = measured[sizes[0]], measured[sizes[-1]]
        n = large["companies"]
        for key, label in (("dashboard_p95_ms", "dashboard"), ("api_p95_ms", "API list")):
            ratio = large[key] / small[key] if small[key] else 0.0
            run.goal(
                f"{label} p95 at {n:.0f} companies within 10 % of {small['companies']:.0f}",
                f"{large[key]:.1f} ms vs {small[key]:.1f} ms ({ratio:.2f}x)",
                ratio <= GOAL_REQUEST_RATIO,
            )
        growth = large["rss_all_mb"] - large["rss_10_mb"]
        run.goal(
            f"worker memory flat (< {GOAL_MEMORY_MB:.0f} MB more after {large['companies_served']:.0f} companies)",
            f"+{growth:.0f} MB",
            growth < GOAL_MEMORY_MB,
        )

        def projected(key: str, to: int) -> tuple[float, str]:
            """The figure at `to` companies: measured, or the larger of two straight lines, through
            the two sizes measured (fixed cost + cost per company) and through zero."""
            value, at = large[key], large["companies"]
            if at >= to:
                return value, f"{value:.1f} s"
            estimate = value * to / at
            if small is not large and large["companies"] > small["companies"]:
                slope = (value - small[key]) / (large["companies"] - small["companies"])
                estimate = max(estimate, value + slope * (to - at))
            return (
                estimate,
                f"{estimate:.1f} s (projected from {small[key]:.1f} s at {small['companies']:.0f}, {value:.1f} s at {at:.0f})",
            )

        noop, text = projected("noop_migrate_s", 1000)
        run.goal("no-op migrate_schemas over 1,000 companies < 2 min", text, noop < GOAL_NOOP_MIGRATE_S)
        column, text = projected("column_migration_s", 1000)
        run.goal("one-column migration over 1,000 companies < 5 min", text, column < GOAL_COLUMN_MIGRATE_S)
        fanout_10k, text = projected("fanout_s", 10000)
        run.goal("beat fan-out over 10,000 companies < 1 min", text, fanout_10k < GOAL_FANOUT_S)
        run.notes.append(
            f"Database {name} grown through pool_fill (template replay) and tenant_provision, in batches of"
            f" {args.batch}; requests in-process (Django test client, {args.samples} random companies per page)."
            " 'add a column (DDL)' is the bare ALTER TABLE in every schema through one connection; 'one-column"
            " migration' is migrate_schemas --tenant applying a real AddField migration (half of an add + remove"
            " run)."
        )
    except Exception as exc:
        traceback.print_exc()
        run.error(f"{type(exc).__name__}: {exc}")
    finally:
        try:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        except Exception as exc:
            print(f"[scale] could not flush {redis_url}: {exc}")
        connection.set_schema_to_public()
    return run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
