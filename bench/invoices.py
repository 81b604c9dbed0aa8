"""Invoices on the bench company: issuing under concurrency, FA(3) XML, PDF, the list at 100k.

    python bench/invoices.py [--quick] [--count 1000] [--issuers 8] [--processes N]

1. Drafts `--count` invoices with 10 lines each for buyers with valid NIPs (untimed).
2. Issues them from `--issuers` issuers at once, each with its own database connection,
   spread over `--processes` forked processes (default 2 x cores, threads inside each: the
   layout of gunicorn in deploy/README.md), timing every `invoice_issue` (the number is
   taken under a row lock); then checks that the numbers of the period are exactly 1..N:
   no gap, no duplicate. The issuers never pause, so the machine's cores are the limit:
   the mean wait is about issuers x CPU time of one issue / cores.
3. Builds and validates the FA(3) XML of 200 of them against the official schema, and
   draws the PDF of 30 (both timed per invoice).
4. Tops the company up to 100,000 invoices (COPY, idempotent) and times the invoice list
   page and the API list as Szef, signed in through the login form.
Goals (issue 14): issue p95 <= 50 ms, XML generation + validation p95 <= 30 ms, PDF p95 <=
300 ms, invoice list p95 <= 100 ms at 100k invoices. Exit code 1 when one is missed or a
step fails; figures go to bench/results/invoices.json. `--quick`: the small company
`benchq`, 60 invoices, 2,000 in the list.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.db import connection as django_connection  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import Run, login, parser, percentile, r1, sql_logging_off, timed_get  # noqa: E402
from bench.seed_big import BENCH_PASSWORD, BENCH_SZEF, bench_company_for, copy_rows  # noqa: E402  (sets Django up)
from crm.accounts.models import User  # noqa: E402
from crm.company.models import CompanySettings, company_settings_memo  # noqa: E402
from crm.contacts.models import Customer, CustomerKind  # noqa: E402
from crm.invoicing.fa3 import invoice_xml  # noqa: E402
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus  # noqa: E402
from crm.invoicing.services.common import LineData  # noqa: E402
from crm.invoicing.services.drafts import invoice_create  # noqa: E402
from crm.invoicing.services.issue import invoice_issue  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.models import Company  # noqa: E402
from tenants.urls_helpers import company_host  # noqa: E402

GOALS_MS = {"issue": 50.0, "xml": 30.0, "pdf": 300.0, "list": 100.0}
BUYER_PREFIX = "Nabywca bench"
SELLER_NIP = "5260250274"


def nip_with_checksum(seed: int) -> str:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        digits = [int(d) for d in f"{seed % 10**9:09d}"]
        check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if check != 10 and digits[0] != 0 and digits[1:3] != [0, 0]:  # a tax office prefix KSeF accepts
            return "".join(map(str, digits)) + str(check)
        seed += 7


def seller_ready() -> None:
    row = CompanySettings.current()
    row.tax_id = row.tax_id or SELLER_NIP
    row.street = row.street or "ul. Prosta 1"
    row.postal_code = row.postal_code or "00-001"
    row.city = row.city or "Warszawa"
    row.bank_account = row.bank_account or "PL61109010140000071219812874"
    row.save()


def buyers(count: int) -> list[Customer]:
    existing = list(Customer.objects.filter(name__startswith=BUYER_PREFIX).order_by("id")[:count])
    for n, buyer in enumerate(existing):  # NIPs of an earlier run may lack a tax office prefix
        nip = nip_with_checksum(712_000_000 + n * 131)
        if buyer.tax_id != nip:
            Customer.objects.filter(pk=buyer.pk).update(tax_id=nip)
            buyer.tax_id = nip
    for n in range(len(existing), count):
        existing.append(
            Customer.objects.create(
                kind=CustomerKind.COMPANY,
                name=f"{BUYER_PREFIX} {n + 1} Sp. z o.o.",
                tax_id=nip_with_checksum(712_000_000 + n * 131),
                street=f"ul. Handlowa {n + 1}",
                postal_code="90-001",
                city="Łódź",
            )
        )
    return existing


def ten_lines(rng: random.Random) -> list[LineData]:
    rates = ["23", "23", "23", "8", "5", "0", "zw"]
    return [
        LineData(
            name=f"Towar {i + 1}",
            net_price=Decimal(rng.randint(100, 99_999)) / 100,
            quantity=Decimal(rng.randint(1, 40)),
            vat_rate=rates[i % len(rates)],
        )
        for i in range(10)
    ]


def drafts_make(*, count: int, actor: User, customers: list[Customer]) -> list[int]:
    rng = random.Random(14)
    ids = []
    for n in range(count):
        invoice = invoice_create(
            actor=actor,
            customer=customers[n % len(customers)],
            lines=ten_lines(rng),
            exemption_basis="art. 43 ust. 1 pkt 37 ustawy o VAT",
        )
        ids.append(invoice.pk)
    return ids


def _issue_chunk(company: Company, chunk: list[int], actor_pk: int, errors: list[str]) -> list[float]:
    """One issuer: its own database connection, each invoice timed as a request would be."""
    connection.set_tenant(company)
    actor = User.objects.get(pk=actor_pk)
    times = []
    try:
        for pk in chunk:
            invoice = Invoice.objects.get(pk=pk)
            started = time.perf_counter()
            try:
                with company_settings_memo():  # as in a web request (crm.settings.middleware)
                    invoice_issue(invoice=invoice, actor=actor)
            except Exception as exc:
                errors.append(f"issue of invoice {pk}: {exc!r}")
                continue
            times.append((time.perf_counter() - started) * 1000)
    finally:
        connections.close_all()
    return times


def _issue_process(company_pk: int, chunks: list[list[int]], actor_pk: int) -> tuple[list[float], list[str]]:
    """A web worker process (forked): its issuers are threads, as gunicorn's --threads."""
    company = Company.objects.get(pk=company_pk)
    errors: list[str] = []
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        results = list(pool.map(lambda chunk: _issue_chunk(company, chunk, actor_pk, errors), chunks))
    connections.close_all()
    return [t for chunk in results for t in chunk], errors


def issue_all(
    *, company: Company, ids: list[int], actor_pk: int, issuers: int, processes: int, run: Run
) -> list[float]:
    """`issuers` at once, spread over `processes` forked processes (the web server's
    layout: gunicorn runs 2 x cores workers with threads in each, deploy/README.md)."""
    chunks = [ids[i::issuers] for i in range(issuers)]
    processes = max(1, min(processes, issuers))
    groups = [chunks[i::processes] for i in range(processes)]
    connections.close_all()  # no connection crosses a fork
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        results = list(pool.map(_issue_process, [company.pk] * processes, groups, [actor_pk] * processes))
    for _times, errors in results:
        for error in errors:
            run.error(error)
    return [t for times, _errors in results for t in times]


def numbers_check(run: Run, ids: list[int]) -> str:
    issued = Invoice.objects.filter(pk__in=ids).exclude(series_number__isnull=True)
    periods = set(issued.values_list("series_period", flat=True))
    problems = []
    for period in periods:
        numbers = list(
            Invoice.objects.filter(kind=InvoiceKind.VAT, series_period=period)
            .exclude(series_number__isnull=True)
            .values_list("series_number", flat=True)
        )
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            problems.append(f"period {period}: numbers are not exactly 1..{len(numbers)}")
    if issued.count() != len(ids):
        problems.append(f"{len(ids) - issued.count()} invoices not issued")
    for problem in problems:
        run.error(problem)
    return "gap-free and unique" if not problems else "; ".join(problems)


def list_top_up(*, total: int, customers: list[Customer], schema: str) -> int:
    """Issued-looking invoices (numbered BENCH/...) up to `total` rows, written with COPY."""
    have = Invoice.objects.count()
    missing = total - have
    if missing <= 0:
        return have
    rng = random.Random(100)
    start = (Invoice.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    today = timezone.localdate()
    statuses = [InvoiceStatus.ISSUED, InvoiceStatus.PAID, InvoiceStatus.PAID, InvoiceStatus.OVERDUE]
    now = timezone.now()

    def rows():  # type: ignore[no-untyped-def]
        for n in range(missing):
            day = today - timedelta(days=rng.randint(0, 900))
            net = Decimal(rng.randint(10_000, 5_000_000)) / 100
            vat = (net * Decimal("0.23")).quantize(Decimal("0.01"))
            status = statuses[n % len(statuses)]
            yield Invoice(
                id=start + n,
                number=f"BENCH/{start + n}",
                kind=InvoiceKind.VAT,
                status=status,
                customer_id=customers[n % len(customers)].pk,
                issue_date=day,
                sale_date=day,
                due_date=day + timedelta(days=14),
                net_total=net,
                vat_total=vat,
                gross_total=net + vat,
                paid_total=net + vat if status == InvoiceStatus.PAID else Decimal(0),
                seller={},
                buyer={"name": customers[n % len(customers)].name},
                issued_at=now,
                created_at=now,
                updated_at=now,
            )

    copy_rows(Invoice, rows(), schema=schema)
    with django_connection.cursor() as cursor:
        table = f'"{schema}".invoicing_invoice'
        cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))", [table])
    return Invoice.objects.count()


def summary(run: Run, table_rows: list[list[object]], step: str, times: list[float], goal: float) -> bool:
    figure = percentile(times, 95) if times else float("inf")
    ok = bool(times) and figure <= goal
    table_rows.append(
        [
            step,
            len(times),
            r1(statistics.median(times)) if times else "-",
            r1(figure),
            f"<= {goal:.0f}",
            "ok" if ok else "OVER",
        ]
    )
    print("{:34} {:>6} {:>8} {:>8} {:>8} {}".format(*table_rows[-1]), flush=True)
    return ok


def main() -> int:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--count", type=int, help="invoices issued (default 1000; --quick: 60)")
    args_parser.add_argument("--issuers", type=int, default=8, help="concurrent issuers (default 8)")
    args_parser.add_argument(
        "--processes",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="processes the issuers are spread over (default 2 x cores, as gunicorn's workers)",
    )
    args = args_parser.parse_args()
    count = args.count or (60 if args.quick else 1000)
    list_total = 2_000 if args.quick else 100_000
    company = bench_company_for(quick=args.quick)
    run = Run(
        "invoices",
        quick=args.quick,
        params={
            "count": count,
            "issuers": args.issuers,
            "processes": args.processes,
            "list_total": list_total,
            "company": company.subdomain,
        },
    )
    sql_logging_off()
    connection.set_tenant(company)
    try:
        seller_ready()
        szef = User.objects.get(email=BENCH_SZEF)
        customers = buyers(50)
        ids = drafts_make(count=count, actor=szef, customers=customers)
        print(
            f"\n{count} drafts with 10 lines; {args.issuers} issuers at once in {args.processes} processes", flush=True
        )
        issue_times = issue_all(
            company=company, ids=ids, actor_pk=szef.pk, issuers=args.issuers, processes=args.processes, run=run
        )
        connection.set_tenant(company)
        numbering = numbers_check(run, ids)

        xml_times, pdf_times = [], []
        sample = list(Invoice.objects.filter(pk__in=ids[:200]).prefetch_related("lines"))
        for invoice in sample:
            started = time.perf_counter()
            invoice_xml(invoice)
            xml_times.append((time.perf_counter() - started) * 1000)
        try:
            from crm.invoicing.pdf import invoice_pdf  # the invoice's PDF as users download it
        except ImportError:
            invoice_pdf = None  # type: ignore[assignment]
            run.error("crm.invoicing.pdf.invoice_pdf is missing: no PDF of invoices")
        if invoice_pdf is not None:
            gc.freeze()  # as the web server does once the app is loaded (config/wsgi.py)
            for invoice in sample[:30]:
                started = time.perf_counter()
                invoice_pdf(invoice, language="pl")
                pdf_times.append((time.perf_counter() - started) * 1000)

        total = list_top_up(total=list_total, customers=customers, schema=company.schema_name)
        # The issues left a dead row version per invoice: clean, as autovacuum would on a live
        # system (this machine may run PostgreSQL with autovacuum off), before the lists are read.
        with django_connection.cursor() as cursor:
            for table in ("invoicing_invoice", "invoicing_invoiceline", "invoicing_numbercounter"):
                cursor.execute(f'VACUUM ANALYZE "{company.schema_name}"."{table}"')
    finally:
        connection.set_schema_to_public()

    host = company_host(company.subdomain or "bench")
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    login(client, BENCH_SZEF, BENCH_PASSWORD)
    connection.set_schema_to_public()
    list_times: dict[str, list[float]] = {"/invoices/": [], "/api/v1/invoices/": []}
    for path, times in list_times.items():
        for _ in range(3 if args.quick else 30):
            status, wall, _cpu, body = timed_get(client, path)
            if run.expect(f"GET {path}", status, body=body):
                times.append(wall)

    print(f"\n{'step':34} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'goal':>8}")
    table = run.table("", ["step", "n", "p50 ms", "p95 ms", "goal ms", ""])
    ok_issue = summary(run, table.rows, f"issue ({args.issuers} concurrent issuers)", issue_times, GOALS_MS["issue"])
    ok_xml = summary(run, table.rows, "FA(3) XML + schema validation", xml_times, GOALS_MS["xml"])
    ok_pdf = summary(run, table.rows, "PDF (10 lines)", pdf_times, GOALS_MS["pdf"])
    ok_list = summary(
        run, table.rows, f"invoice list page ({total:,} invoices)", list_times["/invoices/"], GOALS_MS["list"]
    )
    ok_api = summary(
        run, table.rows, f"API invoice list ({total:,})", list_times["/api/v1/invoices/"], GOALS_MS["list"]
    )
    run.figures = {
        "invoices": total,
        "issued": len(issue_times),
        "numbering": numbering,
        "date": date.today().isoformat(),
    }
    run.goal(
        "issue p95 <= 50 ms (8 concurrent issuers)",
        f"{r1(percentile(issue_times, 95)) if issue_times else '-'} ms; numbers {numbering}",
        ok_issue,
    )
    run.goal(
        "FA(3) XML generation + validation p95 <= 30 ms",
        f"{r1(percentile(xml_times, 95)) if xml_times else '-'} ms",
        ok_xml,
    )
    run.goal("PDF p95 <= 300 ms", f"{r1(percentile(pdf_times, 95)) if pdf_times else '-'} ms", ok_pdf)
    run.goal(
        f"invoice list p95 <= 100 ms with {total:,} invoices",
        f"page {r1(percentile(list_times['/invoices/'], 95)) if list_times['/invoices/'] else '-'} ms, "
        f"API {r1(percentile(list_times['/api/v1/invoices/'], 95)) if list_times['/api/v1/invoices/'] else '-'} ms",
        ok_list and ok_api,
    )
    return run.finish()


if __name__ == "__main__":
    sys.exit(main())
