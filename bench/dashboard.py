"""Dashboard and reports on the 100k-customer bench company (bench/seed_big.py).

    python bench/dashboard.py [--runs 30] [--quick]

Seeds the company when needed (idempotent), adds notes and followers for the
activity report and the "only the ones I follow" filter, then requests the home
page, its widgets, the reports page, every report (CSV and API) and the dashboard
API in-process through the whole middleware stack, as Szef and as a Pracownik
restricted to their own records, each signed in through the login form. Every
timed request must answer 200. Timing runs with SQL logging off (no debug cursor,
no query capture); the SQL statements per request are counted in a separate,
untimed request (django-tenants' `SET search_path` before each statement not
counted; shown separately). Also shown: the Python CPU time of the request (the
part that does not depend on how busy the machine is, database time excluded).
Goals (README): p95 <= 150 ms for every request; the home page within 15 queries.
Exit code 1 when one is missed or a request fails; figures go to
bench/results/dashboard.json. `--quick` uses the small company `benchq`, 3 runs.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import Run, count_queries, login, parser, percentile, r1, sql_logging_off, timed_get  # noqa: E402
from bench.seed_big import (  # noqa: E402  (sets Django up)
    BENCH_PASSWORD,
    BENCH_PRACOWNIK,
    BENCH_SZEF,
    bench_company_for,
    copy_rows,
)
from crm.accounts.models import User  # noqa: E402
from crm.categories.models import ContactGroup  # noqa: E402
from crm.company.models import CompanySettings  # noqa: E402
from crm.contacts.models import Customer  # noqa: E402
from crm.notes.models import Note  # noqa: E402
from crm.sales.models import Deal  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.urls_helpers import company_host  # noqa: E402

GOAL_MS = 150.0
HOME_QUERY_BUDGET = 15
EXTRAS = {"notes": 30_000, "followed": 2_000}
QUICK_EXTRAS = {"notes": 1_000, "followed": 100}

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


def extras_seed(*, notes: int, followed: int, verbose: bool = True) -> None:
    """Notes by every staff member over two years and customers the Szef follows (idempotent)."""
    rng = random.Random(11)
    staff = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    szef = User.objects.get(email=BENCH_SZEF)
    now = timezone.now()
    if Note.objects.count() < notes:
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
                    for i in range(notes)
                ),
                schema=connection.schema_name,
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM notes_note))",
                    ["notes_note"],
                )
        if verbose:
            print(f"  +{notes} notes")
    through = Customer.followers.through
    if through.objects.filter(user_id=szef.pk).count() < followed:
        ids = list(Customer.objects.order_by("?").values_list("pk", flat=True)[:followed])
        through.objects.bulk_create([through(customer_id=c, user_id=szef.pk) for c in ids], ignore_conflicts=True)
        if verbose:
            print(f"  +{followed} customers followed by the Szef")
    with connection.cursor() as cursor:
        for table in ("notes_note", through._meta.db_table):
            cursor.execute(f'ANALYZE "{table}"')


def measure(run: Run, label: str, client: Client, path: str, runs: int) -> tuple[list[float], list[float], int, int]:
    """(wall ms, CPU ms, SQL statements, `SET search_path` statements) of `runs` requests."""
    for _ in range(3):  # warm caches (host lookup, templates, PostgreSQL buffers)
        client.get(path)
        connection.set_schema_to_public()
    times, cpu = [], []
    for _ in range(runs):
        status, wall, cpu_ms, body = timed_get(client, path, after=connection.set_schema_to_public)
        run.expect(f"{label} {path}", status, (200,), body)
        times.append(wall)
        cpu.append(cpu_ms)
    total, sets = count_queries(client, path)  # untimed
    connection.set_schema_to_public()
    return times, cpu, total - sets, sets


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--runs", type=int, help="requests per page and person (default 30; --quick: 3)")
    args = args_parser.parse_args()
    runs = args.runs or (3 if args.quick else 30)
    extras = QUICK_EXTRAS if args.quick else EXTRAS

    company = bench_company_for(quick=args.quick)
    run = Run("dashboard", quick=args.quick, params={"runs": runs, "company": company.subdomain, **extras})
    sql_logging_off()
    connection.set_tenant(company)
    extras_seed(**extras)
    group = ContactGroup.objects.order_by("id").values_list("pk", flat=True).first() or ""
    today = timezone.localdate()
    fill = {"d90": today - timedelta(days=89), "d30": today - timedelta(days=29), "group": group}
    counts = {"customers": Customer.objects.count(), "deals": Deal.objects.count(), "notes": Note.objects.count()}
    run.figures["rows"] = counts
    print(f"bench company '{company.subdomain}': {counts}")

    host = company_host(company.subdomain or "bench")
    over: list[str] = []
    home_queries: list[int] = []
    original = CompanySettings.current().restrict_pracownik_to_own
    connection.set_schema_to_public()
    try:
        for who, email, restrict in (
            ("Szef", BENCH_SZEF, original),
            ("Pracownik (restricted to own)", BENCH_PRACOWNIK, True),
        ):
            connection.set_tenant(company)
            CompanySettings.objects.filter(pk=CompanySettings.current().pk).update(restrict_pracownik_to_own=restrict)
            connection.set_schema_to_public()
            client = Client(HTTP_HOST=host, raise_request_exception=False)
            login(client, email, BENCH_PASSWORD)
            connection.set_schema_to_public()
            print(f"\n{who} ({email}), {runs} runs each")
            print(f"{'request':40} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'SQL':>5} {'+SET':>5}  goal")
            table = run.table(who, ["request", "p50 ms", "p95 ms", "CPU p50 ms", "SQL", "+SET", "goal"])
            for label, path in PAGES:
                errors_before = run.error_count
                times, cpu, sql, sets = measure(run, label, client, path.format(**fill), runs)
                p95 = percentile(times, 95)
                ok = p95 <= GOAL_MS and run.error_count == errors_before
                if label.startswith("home"):
                    home_queries.append(sql)
                    ok = ok and sql <= HOME_QUERY_BUDGET
                if not ok:
                    over.append(f"{who}: {label}")
                verdict = "ok" if ok else "ERROR" if run.error_count != errors_before else "OVER"
                table.rows.append(
                    [label, r1(statistics.median(times)), r1(p95), r1(statistics.median(cpu)), sql, sets, verdict]
                )
                print("{:40} {:8.1f} {:8.1f} {:8.1f} {:5d} {:5d}  {}".format(*table.rows[-1]))
        rows = [(t.title, r) for t in run.tables for r in t.rows]
        worst_who, worst = max(rows, key=lambda item: item[1][2])
        run.figures.update(worst_p95_ms=worst[2], worst_request=f"{worst_who}: {worst[0]}")
        run.goal(
            f"p95 <= {GOAL_MS:.0f} ms for each of {len(rows)} requests",
            f"{sum(1 for _w, r in rows if r[2] <= GOAL_MS)} of {len(rows)} within; "
            f"worst {worst_who}: {worst[0]} {worst[2]} ms",
            all(r[2] <= GOAL_MS for _w, r in rows),
        )
        run.goal(
            f"home page within {HOME_QUERY_BUDGET} SQL statements",
            f"at most {max(home_queries)}",
            max(home_queries) <= HOME_QUERY_BUDGET,
        )
    finally:
        connection.set_tenant(company)
        CompanySettings.objects.filter(pk=CompanySettings.current().pk).update(restrict_pracownik_to_own=original)
        connection.set_schema_to_public()
    return run.finish()


if __name__ == "__main__":
    sys.exit(main())
