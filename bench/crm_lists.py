"""Server time of the CRM's busiest pages on a big company (100,000 customers,
50,000 deals, 100,000 tasks; seeded by bench/seed_big.py if missing).

    python bench/crm_lists.py [--runs 30]

Requests go through the whole Django stack in-process (test Client on the bench
company's host: host routing, sessions, auth, middleware, templates), as a signed-in
Szef, and for the list also as a Pracownik restricted to their own customers.
Prints p50 / p95 / max in milliseconds and the number of SQL statements per page
(django-tenants adds a `SET search_path` before each query; both are counted).
Goal: p95 <= 100 ms for each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection as dj_connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from bench.seed_big import BENCH_PRACOWNIK, BENCH_SZEF, RICH_CUSTOMER_NAME, bench_company_seed  # noqa: E402
from crm.accounts.models import User  # noqa: E402
from crm.accounts.tokens import api_token_create  # noqa: E402
from crm.categories.models import ContactGroup, CustomerStatus  # noqa: E402
from crm.company.models import CompanySettings  # noqa: E402
from crm.contacts.models import Customer  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.urls_helpers import company_host  # noqa: E402

GOAL_MS = 100.0


def url_exists(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def measure(client: Client, path: str, runs: int) -> tuple[list[float], list[float], int, int]:
    """(wall times, this process's CPU times, status, SQL statements) of `runs` requests.
    CPU time excludes waiting for PostgreSQL and for other processes on a busy machine."""
    for _ in range(3):  # warm caches (host routing, templates, PostgreSQL buffers)
        client.get(path)
    times, cpu = [], []
    status = 0
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        status = response.status_code
        connection.set_schema_to_public()
    with CaptureQueriesContext(dj_connection) as queries:
        client.get(path)
    connection.set_schema_to_public()
    return times, cpu, status, len(queries)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    company = bench_company_seed(verbose=True)
    host = company_host(company.subdomain or "bench")
    with schema_context(company.schema_name):
        szef = User.objects.get(email=BENCH_SZEF)
        pracownik = User.objects.get(email=BENCH_PRACOWNIK)
        rich = Customer.objects.get(name=RICH_CUSTOMER_NAME)
        status = CustomerStatus.objects.order_by("id").first()
        group = ContactGroup.objects.order_by("id").first()
        totals = {m.__name__: m.objects.count() for m in (Customer,)}
        settings_row = CompanySettings.current()
        settings_row.restrict_pracownik_to_own = True
        settings_row.save()

    def client_for(user: User) -> Client:
        client = Client(HTTP_HOST=host)
        with schema_context(company.schema_name):
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    as_szef = client_for(szef)
    as_pracownik = client_for(pracownik)
    with schema_context(company.schema_name):
        key = api_token_create(user=szef, name="bench").key
    api = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Token {key}")

    cases: list[tuple[str, Client, str]] = [
        ("customer list, first page", as_szef, "/customers/"),
        ("customer list, filtered (status+group)", as_szef, f"/customers/?status={status.pk}&group={group.pk}"),
        ("customer list, sorted by last contact", as_szef, "/customers/?sort=-last_contact"),
        ("customer list, searched 'lodz'", as_szef, "/customers/?q=lodz"),
        ("customer list, searched 'zuraw lodz'", as_szef, "/customers/?q=zuraw+lodz"),
        ("customer list, searched NIP digits", as_szef, "/customers/?q=526"),
        ("customer list, restricted Pracownik", as_pracownik, "/customers/?q=lodz"),
        ("customer card (details)", as_szef, f"/customers/{rich.pk}/"),
        ("customer card (timeline)", as_szef, f"/customers/{rich.pk}/?tab=timeline"),
        ("customer card (sales)", as_szef, f"/customers/{rich.pk}/?tab=sales"),
        ("customer card (tasks)", as_szef, f"/customers/{rich.pk}/?tab=tasks"),
        ("API customers", api, "/api/v1/customers/"),
        ("API customers ?search=lodz", api, "/api/v1/customers/?search=lodz"),
        ("API contacts", api, "/api/v1/contacts/"),
    ]
    if url_exists("sales:pipeline"):
        cases.insert(7, ("pipeline board /deals/", as_szef, "/deals/"))
    for name, path, url_name in (
        ("API deals", "/api/v1/deals/", "deal-list"),
        ("API tasks", "/api/v1/tasks/", "task-list"),
    ):
        if url_exists(url_name):
            cases.append((name, api, path))

    print(f"\nbench company '{company.subdomain}': {totals['Customer']:,} customers; {args.runs} runs per page")
    print(f"{'page':44} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'SQL':>5}")
    slow = []
    try:
        for name, client, path in cases:
            times, cpu, code, queries = measure(client, path, args.runs)
            figure = p95(times)
            flag = "" if figure <= GOAL_MS and code == 200 else "  <-- over goal" if code == 200 else "  <-- error"
            if flag:
                slow.append(name)
            print(
                f"{name:44} {code:>6} {statistics.median(times):8.1f} {figure:8.1f} {max(times):8.1f} "
                f"{statistics.median(cpu):8.1f} {queries:>5}{flag}"
            )
    finally:
        with schema_context(company.schema_name):
            settings_row.restrict_pracownik_to_own = False
            settings_row.save()
    load = os.getloadavg()[0]
    print(f"(load average during the run: {load:.1f} on {os.cpu_count()} CPUs)")
    print(f"\ngoal p95 <= {GOAL_MS:.0f} ms: {'met by every page' if not slow else 'missed by ' + ', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
