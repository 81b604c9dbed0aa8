"""Creating a company: plain migrations vs the pool/template path, in one run.

    python bench/provision.py [--n 8]

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
Password hashing (the configured hasher) is the same in both paths and is timed
on its own; both paths get a ready hash. Queueing the two Celery tasks after
commit is stubbed out (a Redis push each, about a millisecond).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402

from tenants import queue  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.models import Company, CompanyStatus, Domain  # noqa: E402
from tenants.pool import pool_fill, pool_size  # noqa: E402
from tenants.services import tenant_delete, tenant_provision  # noqa: E402
from tenants.setup import company_setup_run  # noqa: E402
from tenants.urls_helpers import company_host  # noqa: E402

PASSWORD = "Zielona-Herbata-77"


def ms(seconds: float) -> float:
    return seconds * 1000.0


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def summary(name: str, values: list[float]) -> str:
    return f"{name:<34} n={len(values):<3} p50={p(values, 0.5):8.1f} ms  p95={p(values, 0.95):8.1f} ms  max={max(values):8.1f} ms"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="companies per path (default 8)")
    args = parser.parse_args()
    n = args.n
    queue.enqueue = lambda task, *a, **kw: None  # type: ignore[assignment]

    loader = MigrationLoader(None, ignore_no_migrations=True)
    print(f"database {connection.settings_dict['NAME']}, {len(loader.disk_migrations)} migrations on disk, N={n}")
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
            t0 = time.perf_counter()
            made.append(plain_create(f"{tag}-plain-{i}", password_hash))
            plain.append(ms(time.perf_counter() - t0))

        # the pool is filled in the background in real life: built here first, timed apart
        from tenants.template import template_ensure

        t0 = time.perf_counter()
        template_ensure()  # migrates the template once per set of migrations
        template_ms = ms(time.perf_counter() - t0)
        t0 = time.perf_counter()
        built = pool_fill(target=max(pool_size(), n))
        build_each = ms(time.perf_counter() - t0) / built if built else 0.0

        fast = []
        from_pool = 0
        for i in range(n):
            sub = f"{tag}-fast-{i}"
            t0 = time.perf_counter()
            result = tenant_provision(
                name=f"Fast {sub}", subdomain=sub, email=f"szef@{sub}.test", password_hash=password_hash
            )
            fast.append(ms(time.perf_counter() - t0))
            from_pool += result.from_pool
            made.append(result.company)

        print(summary(f"hashing ({get_hasher().algorithm})", hashing))
        print(summary("plain migrations", plain))
        print(summary(f"fast path (pool; {from_pool}/{n} claimed)", fast))
        if built:
            print(
                f"{'pool schema build (background)':<34} {build_each:8.1f} ms per schema (template replay, {built} built)"
            )
        print(f"{'template check (once per migr. set)':<34} {template_ms:8.1f} ms")
        ratio = p(plain, 0.5) / p(fast, 0.5)
        print(f"ratio plain/fast at p50: {ratio:.0f}x")
        print(
            f"goal fast p50 <= 100 ms: {'met' if p(fast, 0.5) <= 100 else 'NOT met'}; "
            f">= 20x faster: {'met' if ratio >= 20 else 'NOT met'}"
        )
        print(
            f"signup server time ~ fast + hashing: p50 {p(fast, 0.5) + p(hashing, 0.5):.0f} ms"
            " (plus rendering and the hand-off redirect)"
        )
    finally:
        for company in made:
            tenant_delete(company=company)
        extra = pool_size() - pool_before
        if extra > 0:  # leave the pool as we found it
            for company in Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).order_by("-id")[:extra]:
                tenant_delete(company=company)
        elif extra < 0:
            pool_fill(target=pool_before)
        print(f"cleaned up: {len(made)} companies dropped, pool back to {pool_size()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
