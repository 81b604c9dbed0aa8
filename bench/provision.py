"""Creating a company: plain migrations vs the pool/template path, in one run.

    python bench/provision.py [--n 8] [--quick]

Needs the services and a migrated database (`make migrate`); uses DATABASE_URL /
REDIS_URL like the app. Creates its own companies (`bench-...`) and drops them
afterwards, and leaves the pool as large as it found it.

- plain: what django-tenants does by default — `Company.save()` creates the
  schema and runs every tenant migration in it — then the domain, the Szef and
  the defaults (the `tenants.setup` steps), as signup would.
- fast: `tenant_provision` exactly as signup calls it: validation and the
  availability check, claiming a pooled schema (SELECT ... FOR UPDATE SKIP
  LOCKED), renaming it, the domain, the Szef, the defaults, the 14-day trial, in
  one transaction.
Every company made is checked (ready, its Szef, its domain); the fast path must
claim a pooled schema each time. Goals (README): fast path p50 <= 100 ms and at
least 20x faster than plain migrations at p50; exit code 1 when one is missed or a
check fails. Figures go to bench/results/provision.json (bench/common.py).
Password hashing (the configured hasher) is the same in both paths and is timed
on its own; both paths get a ready hash. Queueing the two Celery tasks after
commit is stubbed out (a Redis push each, about a millisecond).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402

from bench.common import Run, parser, percentile, r1, sql_logging_off  # noqa: E402
from tenants import queue  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.models import Company, CompanyStatus, Domain  # noqa: E402
from tenants.pool import pool_fill, pool_size  # noqa: E402
from tenants.services import tenant_delete, tenant_provision  # noqa: E402
from tenants.setup import company_setup_run  # noqa: E402
from tenants.urls_helpers import company_host  # noqa: E402

PASSWORD = "Zielona-Herbata-77"
GOAL_FAST_P50_MS = 100.0
GOAL_RATIO = 20.0


def ms(seconds: float) -> float:
    return seconds * 1000.0


def plain_create(sub: str, password_hash: str) -> Company:
    from crm.accounts.models import Role, User

    connection.set_schema_to_public()
    company = Company(
        schema_name="c_" + sub.replace("-", "_"),
        name=f"Plain {sub}",
        subdomain=sub,
        status=CompanyStatus.TRIAL,
        is_ready=True,
    )
    company.auto_create_schema = True  # CREATE SCHEMA + migrate_schemas for it
    company.save(verbosity=0)
    Domain.objects.create(domain=company_host(sub), tenant=company, is_primary=True)
    connection.set_tenant(company)
    owner = User.objects.create(email=f"szef@{sub}.test", password=password_hash, role=Role.SZEF)
    company_setup_run(company=company, owner=owner)
    connection.set_schema_to_public()
    return company


def company_check(run: Run, company: Company, sub: str) -> None:
    """Untimed: the company is usable, as signup would leave it."""
    from crm.accounts.models import Role, User

    connection.set_schema_to_public()
    company.refresh_from_db()
    if not company.is_ready or company.subdomain != sub:
        run.error(f"{sub}: company not ready ({company.is_ready}, {company.subdomain})")
    if not Domain.objects.filter(tenant=company, domain=company_host(sub)).exists():
        run.error(f"{sub}: no domain {company_host(sub)}")
    connection.set_tenant(company)
    if not User.objects.filter(email=f"szef@{sub}.test", role=Role.SZEF, is_active=True).exists():
        run.error(f"{sub}: no active Szef")
    connection.set_schema_to_public()


def row(name: str, values: list[float]) -> list[object]:
    return [name, len(values), r1(percentile(values, 50)), r1(percentile(values, 95)), r1(max(values))]


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--n", type=int, help="companies per path (default 8; --quick: 2)")
    args = args_parser.parse_args()
    n = args.n or (2 if args.quick else 8)
    run = Run("provision", quick=args.quick, params={"n": n})
    sql_logging_off()
    queue.enqueue = lambda task, *a, **kw: None  # type: ignore[assignment]

    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrations = len(loader.disk_migrations)
    print(f"database {connection.settings_dict['NAME']}, {migrations} migrations on disk, N={n}")
    tag = f"bench-{os.getpid()}"
    made: list[Company] = []
    pool_before = pool_size()
    try:
        # password hashing, the same in both paths
        hashing = []
        for _ in range(n):
            t0 = time.perf_counter()
            password_hash = make_password(PASSWORD)
            hashing.append(ms(time.perf_counter() - t0))

        # plain migrations
        plain = []
        for i in range(n):
            sub = f"{tag}-plain-{i}"
            t0 = time.perf_counter()
            company = plain_create(sub, password_hash)
            plain.append(ms(time.perf_counter() - t0))
            made.append(company)
            company_check(run, company, sub)

        # the pool is filled in the background in real life: built here first, timed apart
        from tenants.template import template_ensure

        t0 = time.perf_counter()
        template_ensure()  # migrates the template once per set of migrations
        template_ms = ms(time.perf_counter() - t0)
        t0 = time.perf_counter()
        built = pool_fill(target=max(pool_size(), n))
        build_each = ms(time.perf_counter() - t0) / built if built else None

        fast = []
        from_pool = 0
        for i in range(n):
            sub = f"{tag}-fast-{i}"
            t0 = time.perf_counter()
            result = tenant_provision(
                name=f"Fast {sub}", subdomain=sub, email=f"szef@{sub}.test", password_hash=password_hash
            )
            fast.append(ms(time.perf_counter() - t0))
            made.append(result.company)
            if result.from_pool:
                from_pool += 1
            else:
                run.error(f"{sub}: the fast path did not claim a pooled schema")
            company_check(run, result.company, sub)

        table = run.table("", ["path", "n", "p50 ms", "p95 ms", "max ms"])
        table.rows.append(row(f"password hashing ({get_hasher().algorithm}), in both paths, left out", hashing))
        table.rows.append(row("plain migrations (`auto_create_schema`)", plain))
        table.rows.append(row(f"fast path (pool; {from_pool}/{n} claimed)", fast))
        for line in table.rows:
            print("{:<60} n={:<3} p50={:8.1f} ms  p95={:8.1f} ms  max={:8.1f} ms".format(*line))
        ratio = percentile(plain, 50) / percentile(fast, 50)
        run.figures = {
            "migrations": migrations,
            "hashing_p50_ms": r1(percentile(hashing, 50)),
            "plain_p50_ms": r1(percentile(plain, 50)),
            "plain_p95_ms": r1(percentile(plain, 95)),
            "fast_p50_ms": r1(percentile(fast, 50)),
            "fast_p95_ms": r1(percentile(fast, 95)),
            "ratio_p50": round(ratio, 1),
            "pool_schema_build_ms": r1(build_each) if build_each is not None else None,
            "template_check_ms": r1(template_ms),
        }
        run.notes.append(
            f"{migrations} migrations on disk. Template check (once per set of migrations) {template_ms:.0f} ms"
            + (f"; a pool schema builds in {build_each:.0f} ms, in the background." if build_each else ".")
        )
        fast_p50 = percentile(fast, 50)
        run.goal(f"fast path p50 <= {GOAL_FAST_P50_MS:.0f} ms", f"{fast_p50:.1f} ms", fast_p50 <= GOAL_FAST_P50_MS)
        run.goal(f"fast path >= {GOAL_RATIO:.0f}x faster than plain at p50", f"{ratio:.0f}x", ratio >= GOAL_RATIO)
    except Exception as exc:
        traceback.print_exc()
        run.error(f"{type(exc).__name__}: {exc}")
    finally:
        connection.set_schema_to_public()
        for company in made:
            tenant_delete(company=company)
        extra = pool_size() - pool_before
        if extra > 0:  # leave the pool as we found it
            for company in Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).order_by("-id")[:extra]:
                tenant_delete(company=company)
        elif extra < 0:
            pool_fill(target=pool_before)
        print(f"cleaned up: {len(made)} companies dropped, pool back to {pool_size()}")
    return run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
