"""Dashboard and reports on the 100k-customer bench company (bench/seed_big.py).

    python bench/dashboard.py [--runs 30]

Seeds the company when needed (idempotent), adds notes and followers for the
activity report and the "only the ones I follow" filter, then requests the home
page, its widgets, the reports page, every report (CSV and API) and the dashboard
API in-process through the whole middleware stack, as Szef and as a Pracownik
restricted to their own records. Prints p50/p95 server time and the SQL statements
per request (django-tenants' `SET search_path` before each statement not counted;
shown separately) and the Python CPU time of the request (the part that does not
depend on how busy the machine is, database time excluded). Goal: p95 <= 150 ms; the home page must stay within 15 queries
(exit code 1 otherwise).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.seed_big import (  # noqa: E402  (sets Django up)
    BENCH_PRACOWNIK,
    BENCH_SUBDOMAIN,
    BENCH_SZEF,
    bench_company_seed,
    copy_rows,
)
from crm.accounts.models import User  # noqa: E402
from crm.company.models import CompanySettings  # noqa: E402
from crm.contacts.models import Customer  # noqa: E402
from crm.notes.models import Note  # noqa: E402
from tenants.db import connection  # noqa: E402

GOAL_MS = 150.0
HOME_QUERY_BUDGET = 15
NOTES = 30_000
FOLLOWED = 2_000

PAGES = [
    ("home (default windows)", "/"),
    ("home (30 days, followed only)", "/?customers_days=30&won_days=30&opportunities_days=30&followed=1"),
    ("widget: customers 30 d (htmx)", "/dashboard/widgets/customers/?customers_days=30"),
    ("widget: follow-ups followed (htmx)", "/dashboard/widgets/followups/?followed=1&bucket=not_month"),
    ("reports page (all three)", "/reports/"),
    ("report open-sales (API)", "/api/v1/reports/open-sales/"),
    ("report closed-sales (API)", "/api/v1/reports/closed-sales/"),
    ("report user-activity (API)", "/api/v1/reports/user-activity/"),
    ("report open-sales (CSV, 90 days)", "/reports/open-sales/csv/?date_from={d90}"),
    ("report closed-sales (CSV, group)", "/reports/closed-sales/csv/?group={group}"),
    ("report user-activity (CSV, 30 days)", "/reports/user-activity/csv/?date_from={d30}"),
    ("API dashboard ?days=30", "/api/v1/dashboard/?days=30"),
]


def extras_seed(verbose: bool = True) -> None:
    """Notes by every staff member over two years and customers the Szef follows (idempotent)."""
    rng = random.Random(11)
    staff = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    szef = User.objects.get(email=BENCH_SZEF)
    now = timezone.now()
    if Note.objects.count() < NOTES:
        ids = list(Customer.objects.values_list("pk", flat=True)[:50_000])
        first = (Note.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        with transaction.atomic():
            copy_rows(
                Note,
                (
                    Note(
                        pk=first + i,
                        customer_id=rng.choice(ids),
                        body=f"Rozmowa telefoniczna nr {i}",
                        author_id=rng.choice(staff),
                        created_at=now - timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 1439)),
                    )
                    for i in range(NOTES)
                ),
                schema=connection.schema_name,
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM notes_note))",
                    ["notes_note"],
                )
        if verbose:
            print(f"  +{NOTES} notes")
    through = Customer.followers.through
    if through.objects.filter(user_id=szef.pk).count() < FOLLOWED:
        ids = list(Customer.objects.order_by("?").values_list("pk", flat=True)[:FOLLOWED])
        through.objects.bulk_create([through(customer_id=c, user_id=szef.pk) for c in ids], ignore_conflicts=True)
        if verbose:
            print(f"  +{FOLLOWED} customers followed by the Szef")
    with connection.cursor() as cursor:
        for table in ("notes_note", through._meta.db_table):
            cursor.execute(f'ANALYZE "{table}"')


def measure(client: Client, path: str, runs: int) -> tuple[float, float, float, int, int]:
    for _ in range(3):  # warm caches (host lookup, templates, PostgreSQL buffers)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
    times, cpu = [], []
    sql = total = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        total = len(captured)
        sql = sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET search_path"))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, statistics.median(cpu), sql, total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    company = bench_company_seed()
    connection.set_tenant(company)
    extras_seed()
    from crm.categories.models import ContactGroup

    group = ContactGroup.objects.order_by("id").values_list("pk", flat=True).first() or ""
    today = timezone.localdate()
    fill = {"d90": today - timedelta(days=89), "d30": today - timedelta(days=29), "group": group}
    counts = {
        "customers": Customer.objects.count(),
        "deals": Customer.deals.rel.related_model.objects.count(),
        "notes": Note.objects.count(),
    }
    print(f"bench company '{BENCH_SUBDOMAIN}': {counts} (DEBUG={settings.DEBUG})")
    print("load average at start: {:.2f} {:.2f} {:.2f} (2 cores here: figures grow with it)".format(*os.getloadavg()))

    host = f"{BENCH_SUBDOMAIN}.{settings.IMCRM_BASE_DOMAIN}"
    failed = False
    original = CompanySettings.current().restrict_pracownik_to_own
    try:
        for who, email, restrict in (
            ("Szef", BENCH_SZEF, original),
            ("Pracownik (restricted to own)", BENCH_PRACOWNIK, True),
        ):
            connection.set_tenant(company)
            CompanySettings.objects.filter(pk=CompanySettings.current().pk).update(restrict_pracownik_to_own=restrict)
            user = User.objects.get(email=email)
            client = Client(HTTP_HOST=host)
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            print(f"\n{who} ({email}), {args.runs} runs each")
            print(f"{'request':40} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'SQL':>5} {'+SET':>5}  goal")
            for label, path in PAGES:
                p50, p95, cpu, sql, total = measure(client, path.format(**fill), args.runs)
                ok = p95 <= GOAL_MS
                if label.startswith("home") and sql > HOME_QUERY_BUDGET:
                    failed = True
                    ok = False
                print(
                    f"{label:40} {p50:8.1f} {p95:8.1f} {cpu:8.1f} {sql:5d} {total - sql:5d}  {'ok' if ok else 'OVER'}"
                )
        print("\nload average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        connection.set_tenant(company)
        CompanySettings.objects.filter(pk=CompanySettings.current().pk).update(restrict_pracownik_to_own=original)
        connection.set_schema_to_public()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
