"""Importing customers and leads from an Excel workbook (.xlsx): the first sheet, its first
row the headers, the same column mapping, checks and messages as a CSV; numbers, dates and
yes/no cells read as a person sees them; a broken or mislabelled file, the old .xls format
and a sheet past the limits give a clear message and store nothing. The workbooks are
built in the tests with openpyxl, as Excel would save them."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import Workbook

from crm.contacts.imports import import_run
from crm.contacts.models import Customer, CustomerImport, ImportStatus
from crm.leads.models import Lead
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.customfields.helpers import field_make

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[Any]], *, other_sheet: list[list[Any]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Klienci"
    for row in rows:
        sheet.append(row)
    if other_sheet is not None:
        second = book.create_sheet("Inne")
        for row in other_sheet:
            second.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx(rows: list[list[Any]], name: str = "klienci.xlsx", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook(rows, **kwargs), content_type=XLSX_TYPE)


def _start(client, base: str, job: CustomerImport, mode: str = "skip") -> None:
    mapping = {f"map_{key}": value for key, value in job.mapping.items()}
    response = client.post(f"{base}{job.pk}/", {"action": "start", "duplicate_mode": mode, **mapping})
    assert response.status_code == 302


CUSTOMER_ROWS: list[list[Any]] = [
    ["Nazwa", "NIP", "E-mail", "Telefon", "Miasto", "Data umowy", "Stały klient"],
    ["Dobra Firma Sp. z o.o.", 5260001246, "biuro@dobra.pl", 600100200, "Łódź", datetime(2026, 3, 1), True],
    ["Zły NIP S.A.", "1234567890", "zly@nip.pl", None, None, None, None],
    [None, None, "bez-nazwy@x.pl", None, None, None, None],
    [None, None, None, None, None, None, None],
    ["Istniejący Klient", None, "istnieje@x.pl", None, None, None, None],
    ["Osoba Prywatna", None, "jan@prywatny.pl", "501 502 503", "Kraków", date(2025, 12, 31), False],
]


def test_customers_are_imported_from_the_first_sheet_of_a_workbook(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        field_make(model="customer", name="Data umowy", type="date")
        field_make(model="customer", name="Stały klient", type="checkbox")
        CustomerFactory(name="Stary", email="istnieje@x.pl", owner=szef)
    client_a.login_as(szef)
    assert "xlsx" in client_a.get("/customers/import/").content.decode()

    response = client_a.post(
        "/customers/import/", {"file": xlsx(CUSTOMER_ROWS, other_sheet=[["Nazwa"], ["Z drugiego arkusza"]])}
    )
    with schema_context(company_a.schema_name):
        job = CustomerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/customers/import/{job.pk}/"
    assert job.total_rows == 5 and job.original_name == "klienci.xlsx"
    assert job.mapping == {
        "name": 0,
        "tax_id": 1,
        "email": 2,
        "phone": 3,
        "city": 4,
        "cf_data_umowy": 5,
        "cf_staly_klient": 6,
    }
    preview = client_a.get(f"/customers/import/{job.pk}/").content.decode()
    assert "Dobra Firma Sp. z o.o." in preview and "sumę kontrolną" in preview

    _start(client_a, "/customers/import/", job)
    with schema_context(company_a.schema_name):
        job = import_run(job.pk)
        good = Customer.objects.get(name="Dobra Firma Sp. z o.o.")
        person = Customer.objects.get(name="Osoba Prywatna")
        assert not Customer.objects.filter(name="Z drugiego arkusza").exists()
    assert (job.status, job.created_count, job.error_count, job.skipped_count) == (ImportStatus.DONE, 2, 2, 1)
    report = {entry["row"]: " ".join(entry["messages"]) for entry in job.errors}
    # the sheet's own row numbers, the empty row 5 included
    assert "sumę kontrolną" in report[3] and "Brak nazwy klienta." in report[4] and "Klient już istnieje" in report[6]
    assert (good.tax_id, good.phone, good.city) == ("5260001246", "600100200", "Łódź")
    assert good.custom_fields == {"data_umowy": "2026-03-01", "staly_klient": True}
    assert person.custom_fields == {"data_umowy": "2025-12-31", "staly_klient": False}
    assert "lodz" in good.search_text


def test_leads_are_imported_from_a_workbook(client_a, szef, company_a):
    rows = [
        ["Imię i nazwisko", "Firma", "E-mail", "Telefon", "NIP", "Wartość"],
        ["Anna Nowak", "Nowak Sp. z o.o.", "anna@nowak.pl", 600100200, "526-000-12-46", 1500.5],
        ["Zła Kwota", None, "kwota@x.pl", None, None, "dużo"],
        [None, "Bez Nazwy", "bez@nazwy.pl", None, None, None],
    ]
    client_a.login_as(szef)

    response = client_a.post("/leads/import/", {"file": xlsx(rows, name="leady.xlsx")})
    with schema_context(company_a.schema_name):
        job = CustomerImport.objects.get(record_type="lead")
    assert response.status_code == 302 and response["Location"] == f"/leads/import/{job.pk}/"
    _start(client_a, "/leads/import/", job)
    with schema_context(company_a.schema_name):
        job = import_run(job.pk)
        anna = Lead.objects.get()
    assert (job.created_count, job.error_count) == (1, 2)
    report = " ".join(" ".join(entry["messages"]) for entry in job.errors)
    assert "niepoprawna kwota „dużo”" in report and "Brak imienia i nazwiska leada." in report
    assert (anna.name, anna.phone, anna.tax_id, str(anna.value)) == ("Anna Nowak", "600100200", "5260001246", "1500.50")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("klienci.xlsx", b"Nazwa;NIP\nFirma;5260001246\n", "Nie udało się odczytać pliku jako arkusza Excel"),
        ("klienci.xlsx", b"PK\x03\x04" + b"\x00" * 200, "Nie udało się odczytać pliku jako arkusza Excel"),
        ("klienci.xlsx", "broken", "Nie udało się odczytać pliku jako arkusza Excel"),
        ("klienci.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Starszy format Excela (.xls)"),
        ("klienci.ods", b"PK\x03\x04", "rozszerzenie .csv albo .xlsx"),
    ],
    ids=["csv-named-xlsx", "zip-garbage", "truncated-workbook", "old-xls", "other-extension"],
)
def test_a_broken_or_foreign_file_is_explained_and_nothing_is_imported(
    client_a, szef, company_a, name, content, message
):
    if content == "broken":
        content = workbook(CUSTOMER_ROWS)[:600]
    client_a.login_as(szef)

    for url in ("/customers/import/", "/leads/import/"):
        response = client_a.post(url, {"file": SimpleUploadedFile(name, content, content_type=XLSX_TYPE)})
        assert response.status_code == 400 and message in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not CustomerImport.objects.exists() and not Customer.objects.exists() and not Lead.objects.exists()


def test_a_workbook_past_the_limits_or_without_data_is_refused(client_a, szef, company_a, settings):
    settings.IMCRM_IMPORT_MAX_ROWS = 3
    settings.IMCRM_IMPORT_MAX_COLUMNS = 4
    client_a.login_as(szef)
    too_many_rows = [["Nazwa"], *[[f"Firma {n}"] for n in range(4)]]
    too_wide = [["A", "B", "C", "D", "E"], [1, 2, 3, 4, 5]]
    only_header = [["Nazwa", "E-mail"]]

    answers = [
        client_a.post("/customers/import/", {"file": xlsx(rows)}).content.decode()
        for rows in (too_many_rows, too_wide, only_header)
    ]

    assert "więcej niż 3 wiersz" in answers[0]
    assert "Plik ma 5 kolumn" in answers[1]
    assert "Plik nie zawiera wierszy z danymi" in answers[2]
    with schema_context(company_a.schema_name):
        assert not CustomerImport.objects.exists()


def test_english_speakers_get_the_broken_workbook_message_in_english(client_a, szef):
    client_a.login_as(szef)
    client_a.cookies["django_language"] = "en"

    response = client_a.post("/customers/import/", {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")})

    assert response.status_code == 400 and "Excel workbook" in response.content.decode()
