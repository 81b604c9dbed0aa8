"""Server time of the CRM's busiest pages on a big company (100,000 customers with 10
custom fields, 50,000 deals, 100,000 tasks; seeded by bench/seed_big.py if missing).

    python bench/crm_lists.py [--runs 30] [--quick]

Requests go through the whole Django stack in-process (test Client on the bench
company's host: host routing, sessions, auth, middleware, templates), as a Szef
signed in through the login form, and for the list also as a Pracownik restricted
to their own customers; the API with a token from /api/v1/auth/token/. Every timed
request must answer 200. Timing runs with SQL logging off (DEBUG's debug cursor
off, no query capture); the SQL statements per page are counted in a separate,
untimed request (django-tenants adds a `SET search_path` before each query; both
are counted). Goal (README): p95 <= 100 ms for each page; exit code 1 when a page
misses it or a request fails. Figures go to bench/results/crm_lists.json.
`--quick` measures the small company `benchq` with 3 runs per page instead.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from bench.common import Run, count_queries, login, parser, percentile, r1, sql_logging_off, timed_get  # noqa: E402
from bench.seed_big import BENCH_PASSWORD, BENCH_PRACOWNIK, BENCH_SZEF, RICH_CUSTOMER_NAME, bench_company_for  # noqa: E402
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


def measure(run: Run, name: str, client: Client, path: str, runs: int) -> tuple[list[float], list[float], int]:
    """(wall times, this process's CPU times, SQL statements) of `runs` requests, each of
    which must answer 200. CPU time excludes waiting for PostgreSQL and for other
    processes on a busy machine."""
    for _ in range(3):  # warm caches (host routing, templates, PostgreSQL buffers)
        client.get(path)
        connection.set_schema_to_public()
    times, cpu = [], []
    for _ in range(runs):
        status, wall, cpu_ms, body = timed_get(client, path, after=connection.set_schema_to_public)
        run.expect(f"{name} {path}", status, (200,), body)
        times.append(wall)
        cpu.append(cpu_ms)
    queries, _sets = count_queries(client, path)  # untimed
    connection.set_schema_to_public()
    return times, cpu, queries


def api_token(host: str, email: str) -> str:
    client = Client(HTTP_HOST=host)
    response = client.post("/api/v1/auth/token/", {"email": email, "password": BENCH_PASSWORD})
    connection.set_schema_to_public()
    if response.status_code != 200:
        raise SystemExit(f"token for {email}: HTTP {response.status_code} {response.content[:200]!r}")
    return str(response.json()["token"])


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--runs", type=int, help="requests per page (default 30; --quick: 3)")
    args = args_parser.parse_args()
    runs = args.runs or (3 if args.quick else 30)

    company = bench_company_for(quick=args.quick)
    run = Run("crm_lists", quick=args.quick, params={"runs": runs, "company": company.subdomain})
    sql_logging_off()
    host = company_host(company.subdomain or "bench")
    with schema_context(company.schema_name):
        rich = Customer.objects.get(name=RICH_CUSTOMER_NAME)
        status = CustomerStatus.objects.order_by("id").first()
        group = ContactGroup.objects.order_by("id").first()
        customers = Customer.objects.count()
        settings_row = CompanySettings.current()
        restricted_before = settings_row.restrict_pracownik_to_own
        settings_row.restrict_pracownik_to_own = True
        settings_row.save()
    if status is None or group is None:
        raise SystemExit("the bench company has no customer status or group")

    def client_for(email: str) -> Client:
        client = Client(HTTP_HOST=host, raise_request_exception=False)
        login(client, email, BENCH_PASSWORD)
        connection.set_schema_to_public()
        return client

    cases: list[tuple[str, Client, str]] = []
    try:
        as_szef = client_for(BENCH_SZEF)
        as_pracownik = client_for(BENCH_PRACOWNIK)
        api = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Token {api_token(host, BENCH_SZEF)}")
        cases = [
            ("customer list, first page", as_szef, "/customers/"),
            ("customer list, filtered (status+group)", as_szef, f"/customers/?status={status.pk}&group={group.pk}"),
            ("customer list, sorted by last contact", as_szef, "/customers/?sort=-last_contact"),
            ("customer list, searched 'lodz'", as_szef, "/customers/?q=lodz"),
            ("customer list, searched 'zuraw lodz'", as_szef, "/customers/?q=zuraw+lodz"),
            ("customer list, searched NIP digits", as_szef, "/customers/?q=526"),
            ("customer list, restricted Pracownik", as_pracownik, "/customers/?q=lodz"),
            # 10 custom fields on every customer, 3 of them list columns (every page above
            # shows them) and filtered here: a select, a checkbox, a text "contains"
            ("customer list, custom field select", as_szef, "/customers/?cf_branza=Transport"),
            ("customer list, custom field checkbox", as_szef, "/customers/?cf_vip=true"),
            ("customer list, custom field text", as_szef, "/customers/?cf_notatka=rozmowa+nr+1234"),
            ("customer list, 3 custom fields", as_szef, "/customers/?cf_branza=IT&cf_vip=true&cf_notatka=rabacie"),
            ("customer card (details)", as_szef, f"/customers/{rich.pk}/"),
            ("customer card (timeline)", as_szef, f"/customers/{rich.pk}/?tab=timeline"),
            ("customer card (sales)", as_szef, f"/customers/{rich.pk}/?tab=sales"),
            ("customer card (tasks)", as_szef, f"/customers/{rich.pk}/?tab=tasks"),
            ("API customers", api, "/api/v1/customers/"),
            ("API customers ?search=lodz", api, "/api/v1/customers/?search=lodz"),
            ("API contacts", api, "/api/v1/contacts/"),
            ("API customers ?ordering=name (Polish)", api, "/api/v1/customers/?ordering=name"),
            ("API customers ?city=Łódź", api, "/api/v1/customers/?city=%C5%81%C3%B3d%C5%BA"),
            ("API customers ?cf_branza=IT&cf_vip=true", api, "/api/v1/customers/?cf_branza=IT&cf_vip=true"),
        ]
        # The header's global search (customers, contact persons, deals, tasks).
        if url_exists("search:search"):
            cases += [
                ("global search 'lodz' (header)", as_szef, "/search/?partial=1&q=lodz"),
                ("global search 'zuraw lodz' (header)", as_szef, "/search/?partial=1&q=zuraw+lodz"),
                ("global search 'kowalski' (header)", as_szef, "/search/?partial=1&q=kowalski"),
                ("global search rare word (header)", as_szef, "/search/?partial=1&q=qwxz"),
                ("global search page 'lodz'", as_szef, "/search/?q=lodz"),
                ("global search, restricted Pracownik", as_pracownik, "/search/?partial=1&q=lodz"),
            ]
        if url_exists("sales:pipeline"):
            cases.insert(7, ("pipeline board /deals/", as_szef, "/deals/"))
        for name, path, url_name in (
            ("API deals", "/api/v1/deals/", "deal-list"),
            ("API tasks", "/api/v1/tasks/", "task-list"),
        ):
            if url_exists(url_name):
                cases.append((name, api, path))

        print(f"\nbench company '{company.subdomain}': {customers:,} customers; {runs} runs per page")
        print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'SQL':>5}")
        table = run.table("", ["page", "p50 ms", "p95 ms", "max ms", "CPU p50 ms", "SQL", f"p95 <= {GOAL_MS:.0f} ms"])
        over = []
        for name, client, path in cases:
            errors_before = run.error_count
            times, cpu, queries = measure(run, name, client, path, runs)
            figure = percentile(times, 95)
            ok = figure <= GOAL_MS and run.error_count == errors_before
            if not ok:
                over.append(f"{name} ({figure:.0f} ms)" if run.error_count == errors_before else f"{name} (errors)")
            table.rows.append(
                [name, r1(statistics.median(times)), r1(figure), r1(max(times)), r1(statistics.median(cpu)), queries,
                 "ok" if ok else "OVER" if run.error_count == errors_before else "ERROR"]
            )  # fmt: skip
            print("{:44} {:8.1f} {:8.1f} {:8.1f} {:8.1f} {:>5} {}".format(*table.rows[-1]))
        worst = max(table.rows, key=lambda r: r[2])
        run.figures = {"customers": customers, "pages": len(cases), "worst_p95_ms": worst[2], "worst_page": worst[0]}
        run.goal(
            f"p95 <= {GOAL_MS:.0f} ms on each of {len(cases)} pages",
            f"{len(cases) - len(over)} of {len(cases)} within; worst {worst[0]} {worst[2]} ms",
            not over,
        )
    finally:
        with schema_context(company.schema_name):
            settings_row.restrict_pracownik_to_own = restricted_before
            settings_row.save()
        connection.set_schema_to_public()
    return run.finish()


if __name__ == "__main__":
    sys.exit(main())
