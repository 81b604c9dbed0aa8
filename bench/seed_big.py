"""One big company for the benches: `bench` with 100,000 customers, 50,000 deals and
100,000 tasks (plus contact persons, groups and one "rich" customer with a long
timeline), written with PostgreSQL COPY in a few seconds rather than minutes.

    python bench/seed_big.py [--quick]      # (re)writes every row, times it, checks the counts
    from bench.seed_big import bench_company_seed
    company = bench_company_seed()          # idempotent; returns the tenants.Company

Runs against whatever DATABASE_URL says (the dev database by default, as `make bench`).
As a script it always re-seeds (so the time is a real figure), checks that every
table holds what was asked, and writes bench/results/seed_big.json (exit code 1
when a count is off). `--quick` seeds the small company `benchq` instead (3,000
customers), which the other benches use with their own `--quick`.
Rows are built as model instances and written field by field from the models'
own definitions, so fields added later with Python defaults are filled too.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import Run, parser, r1  # noqa: E402
from crm.accounts.models import Role, User  # noqa: E402
from crm.categories import models as cat  # noqa: E402
from crm.contacts.models import (  # noqa: E402
    ContactPerson,
    Customer,
    CustomerKind,
    contacts_search_text,
    customer_search_text,
)
from crm.notes.models import Note, TimelineEvent  # noqa: E402
from crm.sales.models import Deal  # noqa: E402
from crm.tasks.models import Task, TaskVisibility  # noqa: E402
from tenants.db import connection  # noqa: E402
from tenants.models import Company  # noqa: E402

BENCH_SUBDOMAIN = "bench"
QUICK_SUBDOMAIN = "benchq"
FULL_SIZES = {"customers": 100_000, "deals": 50_000, "tasks": 100_000}
QUICK_SIZES = {"customers": 3_000, "deals": 1_500, "tasks": 3_000}
BENCH_PASSWORD = "bench12345"
BENCH_SZEF = "szef@bench.test"
BENCH_PRACOWNIK = "pracownik1@bench.test"
RICH_CUSTOMER_NAME = "Bogaty Klient Testowy Sp. z o.o."

CITIES = [
    "Łódź", "Kraków", "Gdańsk", "Wrocław", "Poznań", "Białystok", "Zielona Góra", "Bielsko-Biała", "Warszawa",
    "Szczecin", "Toruń", "Rzeszów", "Częstochowa", "Kielce", "Opole", "Olsztyn", "Gorzów Wielkopolski", "Płock",
]  # fmt: skip
CORES = [
    "Żuraw", "Bursztyn", "Ślęża", "Wisła", "Odra", "Dąb", "Jawor", "Sokół", "Orzeł", "Mazur", "Kaszub", "Górnik",
    "Świt", "Zorza", "Płomień", "Źródło", "Łan", "Młyn", "Kłos", "Mostostal", "Budrem", "Elmech", "Transbud",
]  # fmt: skip
TRADES = ["Hurtownia", "Przedsiębiorstwo", "Zakład", "Biuro", "Studio", "Usługi", "Serwis", "Handel", "Logistyka"]
FORMS = ["Sp. z o.o.", "S.A.", "s.c.", "Sp. j.", "sp.k."]
FIRST = ["Anna", "Piotr", "Krzysztof", "Agnieszka", "Tomasz", "Małgorzata", "Paweł", "Józef", "Łucja", "Grzegorz"]
LAST = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zieliński", "Szymańska", "Dąbrowski"]
TAGS = ["vip", "hurt", "detal", "eksport", "przetarg", "b2b", "newsletter", "partner", "serwis", "leasing"]
POSITIONS = ["Prezes zarządu", "Dyrektor handlowy", "Kierownik zakupów", "Księgowa", "Specjalista ds. logistyki"]
INDUSTRIES = ["IT", "Handel", "Produkcja", "Usługi", "Budownictwo", "Transport", "Rolnictwo", "Finanse"]


def valid_nip(rng: random.Random) -> str:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10 and digits[1:3] != [0, 0]:  # a tax office prefix (FA(3)'s TNIP pattern)
            return "".join(map(str, digits)) + str(check)


def _say(verbose: bool, message: str) -> None:
    if verbose:
        print(message, flush=True)


def copy_rows(model: type[models.Model], objs: Iterable[models.Model], *, schema: str) -> int:
    """COPY model instances (with their pk set) into `schema`; returns the row count."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]  # generated columns fill themselves
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = f'"{schema}".{connection.ops.quote_name(model._meta.db_table)}'
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            row = []
            for f in fields:
                value = getattr(obj, f.attname)
                if value is None and (getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)):
                    value = f.pre_save(obj, True)
                row.append(f.get_db_prep_save(value, connection))
            copy.write_row(row)
            count += 1
    return count


def _sequence_sync(model: type[models.Model], schema: str) -> None:
    table = f'"{schema}".{connection.ops.quote_name(model._meta.db_table)}'
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))", [table]
        )


def _next_id(model: type[models.Model]) -> int:
    last = model.objects.order_by("-id").values_list("id", flat=True).first()
    return int(last or 0) + 1


def _company_ensure(subdomain: str) -> Company:
    connection.set_schema_to_public()
    company = Company.objects.filter(subdomain=subdomain).first()
    if company is None:
        from tenants.services import tenant_provision

        company = tenant_provision(
            name="Bench Sp. z o.o.",
            subdomain=subdomain,
            email=BENCH_SZEF,
            password=BENCH_PASSWORD,
            owner_name="Szef Benchmarku",
            check_password=False,
        ).company
    return company


def _staff(rng: random.Random) -> list[User]:
    password = make_password(BENCH_PASSWORD)
    wanted = [("kierownik1@bench.test", "Kierownik Pierwszy", Role.KIEROWNIK)]
    wanted += [("kierownik2@bench.test", "Kierownik Drugi", Role.KIEROWNIK)]
    wanted += [(f"pracownik{i}@bench.test", f"{FIRST[i % 10]} {LAST[i % 9]} {i}", Role.PRACOWNIK) for i in range(1, 18)]
    existing = set(User.objects.values_list("email", flat=True))
    User.objects.bulk_create(
        [User(email=e, name=n, role=r, password=password) for e, n, r in wanted if e not in existing]
    )
    return list(User.objects.filter(is_active=True).order_by("id"))


def _wipe(schema: str) -> None:
    tables = [m._meta.db_table for m in (Customer, ContactPerson, Deal, Task, Note, TimelineEvent)]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{schema}"."{t}"' for t in tables) + " CASCADE")


def _chunks(seq: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def bench_company_seed(
    *,
    customers: int = 100_000,
    deals: int = 50_000,
    tasks: int = 100_000,
    subdomain: str = BENCH_SUBDOMAIN,
    verbose: bool = True,
    seed: int = 5,
    force: bool = False,
) -> Company:
    """Create (or reuse) the bench company with at least this many rows. Idempotent:
    a company already holding `customers` customers is left as it is, unless `force`."""
    started = time.monotonic()
    company = _company_ensure(subdomain)
    schema = company.schema_name
    connection.set_tenant(company)
    try:
        full = Customer.objects.count() >= customers and Deal.objects.count() >= deals and Task.objects.count() >= tasks
        if full and not force:
            _custom_fields_ensure(schema)
            _say(verbose, f"bench company '{subdomain}' already seeded ({time.monotonic() - started:.1f} s)")
            return company
        rng = random.Random(seed)
        staff = _staff(rng)
        _wipe(schema)
        _seed_rows(company, staff, rng, customers=customers, deals=deals, tasks=tasks, verbose=verbose)
        _custom_fields_ensure(schema)
        # Fresh statistics and visibility maps, as autovacuum would leave them on a live system.
        tables = [
            m._meta.db_table
            for m in (Customer, Customer.groups.through, ContactPerson, Deal, Task, Note, TimelineEvent)
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'VACUUM ANALYZE "{schema}"."{table}"')
        _say(verbose, f"bench company '{subdomain}' seeded in {time.monotonic() - started:.1f} s")
        return company
    finally:
        connection.set_schema_to_public()


def _seed_rows(
    company: Company, staff: list[User], rng: random.Random, *, customers: int, deals: int, tasks: int, verbose: bool
) -> None:
    schema = company.schema_name
    now = timezone.now()
    statuses = list(cat.CustomerStatus.objects.all())
    types = list(cat.CustomerType.objects.all())
    sources = list(cat.ContactSource.objects.all())
    groups = list(cat.ContactGroup.objects.all())
    deal_statuses = {s.code: s for s in cat.DealStatus.objects.all()}
    stages = list(cat.DealStage.objects.all())
    deal_cats = list(cat.DealCategory.objects.all())
    wins, losses = list(cat.WinReason.objects.all()), list(cat.LossReason.objects.all())
    task_cats = list(cat.TaskCategory.objects.all())
    owners = [u.pk for u in staff]

    t0 = time.monotonic()
    first_id = _next_id(Customer)
    ids = list(range(first_id, first_id + customers))
    contact_first = _next_id(ContactPerson)
    company_ids = ids[: customers // 2]
    # One contact person for each of the first half; known before the customers are
    # written, because a customer's search_text holds its contact persons too.
    contact_people = {
        cid: (
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            f"osoba{contact_first + i}@firma{cid % 9973}.pl",
            f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        )
        for i, cid in enumerate(company_ids)
    }

    def customer_rows() -> Iterable[Customer]:
        for n, pk in enumerate(ids):
            city = rng.choice(CITIES)
            if n == 0:
                name, kind = RICH_CUSTOMER_NAME, CustomerKind.COMPANY
            elif rng.random() < 0.2:
                name, kind = f"{rng.choice(FIRST)} {rng.choice(LAST)}", CustomerKind.PERSON
            else:
                name = f"{rng.choice(TRADES)} {rng.choice(CORES)} {city} {rng.choice(FORMS)}"
                kind = CustomerKind.COMPANY
            email = f"kontakt{pk}@firma{pk % 9973}.pl"
            phone = f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
            tax_id = valid_nip(rng) if kind == CustomerKind.COMPANY else ""
            created = now - timedelta(days=rng.randint(0, 1100), minutes=rng.randint(0, 1439))
            street = f"ul. {rng.choice(CORES)} {rng.randint(1, 120)}"
            postal_code = f"{rng.randint(10, 99)}-{rng.randint(100, 999)}"
            person = contact_people.get(pk)
            contacts_text = contacts_search_text([person]) if person else ""
            yield Customer(
                pk=pk,
                kind=kind,
                name=name,
                tax_id=tax_id,
                email=email,
                phone=phone,
                street=street,
                postal_code=postal_code,
                city=city,
                country="Polska",
                status_id=rng.choice(statuses).pk if statuses else None,
                type_id=rng.choice(types).pk if types else None,
                source_id=rng.choice(sources).pk if sources and rng.random() < 0.8 else None,
                tags=rng.sample(TAGS, rng.randint(0, 2)),
                owner_id=rng.choice(owners),
                last_contact_at=(created + timedelta(days=rng.randint(0, 300))) if rng.random() < 0.6 else None,
                search_text=customer_search_text(
                    name=name,
                    email=email,
                    phone=phone,
                    tax_id=tax_id,
                    street=street,
                    postal_code=postal_code,
                    city=city,
                    contacts=contacts_text,
                ),
                contacts_search_text=contacts_text,
                created_at=created,
                updated_at=created,
            )

    with transaction.atomic():
        copy_rows(Customer, customer_rows(), schema=schema)
        _sequence_sync(Customer, schema)
        through = Customer.groups.through
        if groups:
            links = [through(customer_id=pk, contactgroup_id=rng.choice(groups).pk) for pk in ids if rng.random() < 0.3]
            through.objects.bulk_create(links, batch_size=5000)
        copy_rows(
            ContactPerson,
            (
                ContactPerson(
                    pk=contact_first + i,
                    customer_id=cid,
                    name=contact_people[cid][0],
                    position=rng.choice(POSITIONS),
                    email=contact_people[cid][1],
                    phone=contact_people[cid][2],
                    created_at=now,
                )
                for i, cid in enumerate(company_ids)
            ),
            schema=schema,
        )
        _sequence_sync(ContactPerson, schema)
    _say(verbose, f"  {customers} customers (+{len(company_ids)} contact persons) in {time.monotonic() - t0:.1f} s")

    t0 = time.monotonic()
    deal_first = _next_id(Deal)
    rich = ids[0]
    code_weights = [("in_progress", 70), ("won", 12), ("postponed", 6), ("lost", 12)]
    codes = [c for c, w in code_weights for _ in range(w)]

    def deal_rows() -> Iterable[Deal]:
        for i in range(deals):
            code = rng.choice(codes)
            created = now - timedelta(days=rng.randint(0, 700))
            closed = code in ("won", "lost")
            yield Deal(
                pk=deal_first + i,
                name=f"{rng.choice(['Dostawa', 'Wdrożenie', 'Serwis', 'Abonament', 'Szkolenie'])} {deal_first + i}",
                customer_id=rich if i < 60 else rng.choice(ids),
                value=Decimal(rng.randint(500, 500_000)),
                currency="PLN" if rng.random() < 0.9 else rng.choice(["EUR", "USD"]),
                category_id=rng.choice(deal_cats).pk if deal_cats else None,
                status_id=deal_statuses[code].pk,
                stage_id=rng.choice(stages).pk if stages else None,
                win_reason_id=rng.choice(wins).pk if code == "won" and wins else None,
                loss_reason_id=rng.choice(losses).pk if code == "lost" and losses else None,
                owner_id=rng.choice(owners),
                expected_close=(created + timedelta(days=rng.randint(7, 120))).date(),
                closed_at=created + timedelta(days=rng.randint(1, 90)) if closed else None,
                created_at=created,
                updated_at=created,
            )

    with transaction.atomic():
        copy_rows(Deal, deal_rows(), schema=schema)
        _sequence_sync(Deal, schema)
    _say(verbose, f"  {deals} deals in {time.monotonic() - t0:.1f} s")

    t0 = time.monotonic()
    task_first = _next_id(Task)

    def task_rows() -> Iterable[Task]:
        for i in range(tasks):
            due = now + timedelta(days=rng.randint(-200, 120), hours=rng.randint(0, 23))
            done = due < now and rng.random() < 0.7
            assignee = rng.choice(owners)
            task = Task(
                pk=task_first + i,
                title=f"{rng.choice(['Zadzwonić', 'Wysłać ofertę', 'Spotkanie', 'Przypomnieć o płatności'])} #{i}",
                description="",
                category_id=rng.choice(task_cats).pk if task_cats else None,
                starts_at=due - timedelta(hours=1),
                due_at=due,
                assignee_id=assignee,
                created_by_id=assignee,
                visibility=TaskVisibility.EVERYONE if rng.random() < 0.9 else TaskVisibility.OWNER,
                customer_id=rich if i < 80 else (rng.choice(ids) if rng.random() < 0.8 else None),
                deal_id=deal_first + rng.randrange(deals) if deals and rng.random() < 0.3 else None,
                done=done,
                completed_at=due if done else None,
                created_at=min(now, due) - timedelta(days=rng.randint(1, 30)),
                updated_at=due,
            )
            refresh = getattr(task, "remind_at_refresh", None)
            if refresh is not None:
                refresh()
            if due < now and hasattr(task, "reminder_sent_at"):
                task.reminder_sent_at = due  # old tasks must not send reminders
            yield task

    with transaction.atomic():
        copy_rows(Task, task_rows(), schema=schema)
        _sequence_sync(Task, schema)
    _say(verbose, f"  {tasks} tasks in {time.monotonic() - t0:.1f} s")

    # The rich customer: a long timeline of notes and changes for the card bench.
    with transaction.atomic():
        author = staff[0]
        Note.objects.bulk_create(
            [
                Note(customer_id=rich, body=f"Notatka ze spotkania nr {i}: omówiono ofertę.", author=author)
                for i in range(150)
            ]
        )
        TimelineEvent.objects.bulk_create(
            [
                TimelineEvent(customer_id=rich, kind="customer_changed", message=f"Zmiana danych nr {i}", actor=author)
                for i in range(150)
            ]
        )


# The customers' custom fields (crm.customfields): 10 of them, 3 shown as list columns
# and filtered by bench/crm_lists.py (a select, a checkbox, a text "contains").
BENCH_CUSTOM_FIELDS: list[dict[str, Any]] = [
    {"name": "Branża", "key": "branza", "type": "select", "options": INDUSTRIES, "show_in_list": True},
    {"name": "VIP", "key": "vip", "type": "checkbox", "show_in_list": True},
    {"name": "Notatka handlowca", "key": "notatka", "type": "text", "show_in_list": True},
    {"name": "Pracownicy", "key": "pracownicy", "type": "number"},
    {"name": "Obroty", "key": "obroty", "type": "decimal"},
    {"name": "Klient od", "key": "klient_od", "type": "date"},
    {"name": "Region", "key": "region", "type": "select", "options": ["Pomorze", "Mazowsze", "Śląsk", "Małopolska"]},
    {"name": "Kanały", "key": "kanaly", "type": "multi_select", "options": ["E-mail", "Telefon", "Spotkanie"]},
    {"name": "Strona oferty", "key": "strona_oferty", "type": "url"},
    {"name": "E-mail do faktur", "key": "email_faktur", "type": "email"},
]


def _custom_fields_ensure(schema: str) -> None:
    """Defines BENCH_CUSTOM_FIELDS and gives every customer values (one UPDATE; the
    textual ones also go into search_text, as the services would write it)."""
    from crm.customfields.models import CustomField
    from crm.customfields.services import custom_field_create

    defined = CustomField.objects.filter(model="customer").count() >= len(BENCH_CUSTOM_FIELDS)
    if defined and not Customer.objects.filter(custom_fields={}).exists():
        return
    if not defined:
        CustomField.objects.filter(model="customer").delete()
        for spec in BENCH_CUSTOM_FIELDS:
            custom_field_create(actor=None, model="customer", **spec)
    table = f'"{schema}"."{Customer._meta.db_table}"'
    industries = "ARRAY[" + ",".join(f"'{i}'" for i in INDUSTRIES) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET custom_fields = jsonb_build_object(
                'branza', ({industries})[1 + id % {len(INDUSTRIES)}],
                'vip', id % 20 = 0,
                'notatka', 'Rozmowa nr ' || (id % 5000) || ' o rabacie',
                'pracownicy', (id * 7919) % 500,
                'obroty', ((id * 31) % 100000)::text || '.5',
                'klient_od', to_char(date '2015-01-01' + (id % 3000)::int, 'YYYY-MM-DD'),
                'region', (ARRAY['Pomorze', 'Mazowsze', 'Śląsk', 'Małopolska'])[1 + id % 4],
                'kanaly', jsonb_build_array('E-mail', 'Telefon'),
                'strona_oferty', 'https://firma' || id || '.pl/oferta',
                'email_faktur', 'faktury' || id || '@firma.pl'
            )
            """
        )
        cursor.execute(
            f"""
            UPDATE {table} SET search_text = search_text || ' ' || public.imcrm_fold(concat_ws(' ',
                custom_fields->>'branza', custom_fields->>'notatka', custom_fields->>'obroty',
                custom_fields->>'klient_od', custom_fields->>'region', 'E-mail Telefon',
                custom_fields->>'strona_oferty', custom_fields->>'email_faktur'))
            """
        )
        cursor.execute(f"VACUUM ANALYZE {table}")


def bench_company_for(*, quick: bool) -> Company:
    """The company the in-process benches measure: the big one, or the small one for --quick."""
    if quick:
        return bench_company_seed(subdomain=QUICK_SUBDOMAIN, **QUICK_SIZES)
    return bench_company_seed(**FULL_SIZES)


def main() -> int:
    args = parser(__doc__.splitlines()[0]).parse_args()
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    subdomain = QUICK_SUBDOMAIN if args.quick else BENCH_SUBDOMAIN
    run = Run("seed_big", quick=args.quick, params={"subdomain": subdomain, **sizes})
    started = time.monotonic()
    company = bench_company_seed(subdomain=subdomain, force=True, **sizes)
    seconds = time.monotonic() - started
    connection.set_tenant(company)
    try:
        counts = {
            "customers": Customer.objects.count(),
            "contact persons": ContactPerson.objects.count(),
            "deals": Deal.objects.count(),
            "tasks": Task.objects.count(),
            "notes": Note.objects.count(),
            "timeline events": TimelineEvent.objects.count(),
        }
    finally:
        connection.set_schema_to_public()
    for key, wanted in sizes.items():
        if counts[key] != wanted:
            run.error(f"{key}: {counts[key]} rows, {wanted} asked for")
    table = run.table("", ["table", "rows"])
    table.rows.extend([name, count] for name, count in counts.items())
    run.figures = {"seconds": r1(seconds), "rows": counts}
    run.notes.append(f"Written with COPY in {seconds:.1f} s, then VACUUM ANALYZE.")
    return run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
