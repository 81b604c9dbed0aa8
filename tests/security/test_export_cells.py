"""No export hands a spreadsheet a formula.

Every export URL of both URL configurations (a name or path with export, eksport,
csv or xlsx) is opened by a rank that may use it, over company data whose every
text column starts with a formula character (`=cmd|' /C calc'!A0`, `+`, `-`, `@`,
tab, CR). No cell of any CSV or XLSX it returns (also inside a ZIP archive) may
start with one; each file must show at least one neutralised cell, so the poison
did reach it. A new export URL is walked by itself; one whose path parameters this
test cannot fill fails `test_every_export_url_is_walked` until it is taught here.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as dj_settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Left
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from billing_saas.exports import export_build
from billing_saas.models import CompanyExport
from crm.contacts.models import CustomerImport, ImportStatus
from crm.dashboard.reports import REPORTS
from crm.dashboard.reports.base import SALES_COLUMNS
from crm.timetracking.models import TimeEntry
from tests.billing_saas.conftest import operator_create, operator_sign_in, random_ip
from tests.crm.dashboard import factories as f
from tests.crm.invoicing.payments_factories import InvoiceFactory
from tests.security.objects import crm_models, rows_fill
from tests.security.urlmap import Endpoint, company_endpoints, public_endpoints

pytestmark = pytest.mark.django_db

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
POISONS = (
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '@SUM(1+1)*cmd|" /C calc"!A0',
    "\t=1+1+cmd|' /C calc'!A0",
    "\r=1+1+cmd|' /C calc'!A0",
)
FAILED_LOGIN = "=cmd|'/Ccalc'!A0@x.pl"
# Text columns the code reads as keys, not as text for people: poisoning them would
# break the pages instead of testing the exports.
KEY_FIELDS = frozenset(
    {
        "password",
        "token_hash",
        "code",
        "color",
        "language",
        "currency",
        "encoding",
        "delimiter",
        "object_type",
        "object_id",
        "content_type",
        "search_text",
        "allowed_ips",
        "smtp_host",
        "smtp_password_encrypted",
        "record_type",
    }
)
_SIGNED_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?\Z")
EXPORT_WORDS = re.compile(r"export|eksport|csv|xlsx", re.IGNORECASE)
CSV_TYPE, XLSX_TYPE, ZIP_TYPE = "text/csv", "spreadsheetml", "application/zip"


@dataclass
class Walk:
    """What the walk needs to fill parameters and sign in."""

    company_a: Any
    szef: Any
    client_a: Any
    import_job: Any = None
    lead_import_job: Any = None
    _operator: Client | None = None
    _archive_pk: int | None = None

    def operator(self) -> Client:
        if self._operator is None:
            client = Client(HTTP_HOST=dj_settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())
            user, secret = operator_create()
            assert operator_sign_in(client, user, secret).status_code == 302
            self._operator = client
        return self._operator

    def archive_pk(self) -> int:
        """operator:export queues the archive; its task body is run here, as Celery would."""
        if self._archive_pk is None:
            response = self.operator().post(f"/operator/companies/{self.company_a.pk}/export/", {"reason": "Test"})
            assert response.status_code == 302
            export = CompanyExport.objects.filter(company=self.company_a).latest("pk")
            assert export_build(export.pk).status == CompanyExport.Status.READY
            self._archive_pk = export.pk
        return self._archive_pk


# Path parameters of the export URLs that have them (URL name -> variants).
PARAMS: dict[str, Callable[[Walk], list[dict[str, Any]]]] = {
    "dashboard:report_csv": lambda walk: [{"name": name} for name in REPORTS],
    "contacts:import_report": lambda walk: [{"pk": walk.import_job.pk}],
    "leads:import_report": lambda walk: [{"pk": walk.lead_import_job.pk}],
    "operator:export_download": lambda walk: [{"pk": walk.archive_pk()}],
}
# Query strings that choose another file format.
QUERIES: dict[str, list[dict[str, str]]] = {"contacts:customer_export": [{"format": "csv"}, {"format": "xlsx"}]}
# Reports whose rows hold only years, currencies and numbers: no company text can reach
# them, so only the "no formula" half of the test applies.
NUMBERS_ONLY = {
    "/reports/contracts-by-year/csv/": "a row per start year and currency",
    "/reports/deals-forecast/csv/": "a row per expected close month and currency",
}
# Export URLs that do not answer with a file themselves.
NOT_FILES = {"operator:export": "a POST that queues the archive operator:export_download serves"}


def _is_export(endpoint: Endpoint) -> bool:
    return bool(EXPORT_WORDS.search(f"{endpoint.template} {endpoint.name}"))


def export_endpoints() -> list[tuple[str, Endpoint]]:
    found = [("company", e) for e in company_endpoints() if _is_export(e) and not e.template.startswith("/static/")]
    return found + [("public", e) for e in public_endpoints() if _is_export(e)]


DOWNLOADS = [(host, e) for host, e in export_endpoints() if e.name not in NOT_FILES]


def _urls(endpoint: Endpoint, walk: Walk) -> list[tuple[str, dict[str, str]]]:
    variants = PARAMS[endpoint.name](walk) if endpoint.has_params else [{}]
    queries = QUERIES.get(endpoint.name, [{}])
    return [(endpoint.template.format(**params), query) for params in variants for query in queries]


# --- Planting the poison -------------------------------------------------------------


def _poison_every_text_column() -> int:
    """Every text column of every row of every CRM table starts with a formula
    character (the row's id keeps unique names unique; text already poisoned, such as
    the failed login, is kept). Returns the number of columns poisoned."""
    poisoned = 0
    for model in crm_models():
        for number, column in enumerate(model._meta.concrete_fields):
            if not isinstance(column, models.CharField | models.TextField) or column.choices:
                continue
            if column.name in KEY_FIELDS or column.primary_key:
                continue
            text = Concat(Value(POISONS[number % len(POISONS)]), Cast("pk", CharField()), output_field=CharField())
            value = Left(text, column.max_length) if column.max_length else text
            rows = model._default_manager.exclude(**{f"{column.name}__regex": r"^[-=+@\t\r]"})
            rows.update(**{column.name: value})
            poisoned += 1
    return poisoned


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def walk(company_a: Any, szef: Any, pracownik: Any, client_a: Any) -> Walk:
    failed = client_a.post("/accounts/login/", {"login": FAILED_LOGIN, "password": "zle-haslo-123"})
    assert failed.status_code == 200  # the form again: a failed login, written to the activity log
    now = timezone.now()
    with schema_context(company_a.schema_name):
        customer = f.customer("Klient", status_code="new", owner=szef)
        f.deal(customer, value=100, stage="Oferta", category="Produkty", owner=szef)
        f.deal(customer, value=-5, owner=pracownik)
        closed = now - timedelta(hours=1)
        f.deal(customer, value=200, status_code="won", owner=szef, closed_at=closed, win_reason="Cena")
        f.deal(customer, value=300, status_code="lost", owner=pracownik, closed_at=closed, loss_reason="Brak budżetu")
        f.task("Zadanie", assignee=szef, created_by=szef, done=True, completed_at=now, category="Spotkanie")
        f.note(customer, author=szef)
        # An issued invoice left unpaid past its due date: the unpaid list and the sales report.
        InvoiceFactory(customer=customer, due_date=timezone.localdate() - timedelta(days=40))
        job = CustomerImport.objects.create(
            original_name="klienci.csv",
            header=["Nazwa"],
            status=ImportStatus.DONE,
            created_by=szef,
            errors=[{"row": 2, "level": "error", "messages": [POISONS[0]]}],
        )
        lead_job = CustomerImport.objects.create(
            original_name="leady.csv",
            header=["Nazwa"],
            status=ImportStatus.DONE,
            created_by=szef,
            record_type="lead",
            errors=[{"row": 2, "level": "error", "messages": [POISONS[0]]}],
        )
        filled = rows_fill()  # one row in every CRM table, so the archive has something everywhere
        # An hour on a project today: the timesheet export is of the signed-in person's week.
        start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        TimeEntry.objects.create(
            project=filled.rows["projects.project"],
            user=szef,
            started_at=start,
            ended_at=start + timedelta(minutes=1),
            minutes=1,
            note="Wdrożenie",
        )
        assert _poison_every_text_column() > 30
    return Walk(
        company_a=company_a, szef=szef, client_a=client_a.login_as(szef), import_job=job, lead_import_job=lead_job
    )


# --- Reading the files ---------------------------------------------------------------


def _csv_cells(text: str) -> Iterator[Any]:
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield from row


def _xlsx_cells(data: bytes) -> Iterator[Any]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from row


def _cells(name: str, content_type: str, data: bytes) -> Iterator[Any]:
    if CSV_TYPE in content_type or name.endswith(".csv"):
        yield from _csv_cells(data.decode("utf-8"))
    elif XLSX_TYPE in content_type or name.endswith(".xlsx"):
        yield from _xlsx_cells(data)
    elif ZIP_TYPE in content_type or name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        for member in archive.namelist():
            if member.endswith((".csv", ".xlsx")):
                yield from _cells(member, "", archive.read(member))
    else:
        raise AssertionError(f"{name}: this test cannot read {content_type!r}; teach it")


def is_formula(cell: Any) -> bool:
    """Text a spreadsheet would run (a plain signed number is only a number)."""
    return isinstance(cell, str) and cell.startswith(FORMULA_START) and not _SIGNED_NUMBER.match(cell)


def is_neutralised(cell: Any) -> bool:
    return isinstance(cell, str) and cell.startswith("'") and cell[1:2] in FORMULA_START


def _download(client: Any, url: str, query: dict[str, str]) -> tuple[str, bytes]:
    response = client.get(url, query)
    assert response.status_code == 200, f"{url} {query}: {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response["Content-Type"], body


# --- The tests -------------------------------------------------------------------------


def test_every_export_url_is_walked():
    found = export_endpoints()
    names = {e.name for _host, e in found}
    assert {
        "contacts:customer_export",
        "contacts:import_report",
        "crmsettings:activity_export",
        "dashboard:report_csv",
        "operator:export_download",
    } <= names, "discovery lost an export the product has"
    unfillable = [str(e) for _host, e in found if e.has_params and e.name not in PARAMS and e.name not in NOT_FILES]
    assert not unfillable, f"new export URLs with parameters: add them to PARAMS: {unfillable}"


@pytest.mark.parametrize(("host", "endpoint"), DOWNLOADS, ids=[e.name or e.template for _h, e in DOWNLOADS])
def test_no_cell_of_an_export_starts_with_a_formula_character(host, endpoint, walk):
    client = walk.client_a if host == "company" else walk.operator()
    for url, query in _urls(endpoint, walk):
        content_type, body = _download(client, url, query)
        cells = list(_cells(url, content_type, body))
        formulas = [c for c in cells if is_formula(c)]
        assert not formulas, f"{url} {query}: cells a spreadsheet would run: {formulas[:5]}"
        if url in NUMBERS_ONLY:
            assert len(cells) > len(SALES_COLUMNS), f"{url}: no rows"
            continue
        assert any(is_neutralised(c) for c in cells), f"{url} {query}: the poisoned data did not reach this export"


def test_a_failed_login_with_a_formula_for_a_login_is_exported_as_text(walk):
    _type, body = _download(walk.client_a, "/settings/activity/export.csv", {})
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert "'" + FAILED_LOGIN.lower() in [row[1] for row in rows]  # allauth lowercases the login
