from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.categories.models import ContactGroup
from crm.contacts.imports import ImportFileError, import_prepare, import_run
from crm.contacts.models import Customer, CustomerImport, ImportStatus
from crm.notes.models import TimelineEvent
from tests.crm.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = "Nazwa;NIP;E-mail;Telefon;Miasto;Status;Grupy;Tagi;Opiekun\n"
ROWS = (
    "Dobra Firma Sp. z o.o.;526-000-12-46;biuro@dobra.pl;+48 600 100 200;Łódź;Nowy;Klient VIP, Klient Złoty;hurt, eksport;szef@alfa.test\n"
    "Zły NIP S.A.;1234567890;zly@nip.pl;;;;;;\n"
    "Zły E-mail;;to-nie-jest-email;;;;;;\n"
    ";;bez-nazwy@x.pl;;;;;;\n"
    "Nieznany Status;;status@x.pl;;;Fioletowy;;;\n"
    "Istniejący Klient;;istnieje@x.pl;;;;;;\n"
    "Powtórka w pliku;;biuro@dobra.pl;;;;;;\n"
    "Nieznana Grupa;;grupa@x.pl;;;;Nie Ma Takiej;;\n"
    "Osoba Prywatna;;jan@prywatny.pl;501 502 503;Kraków;;;;\n"
)


def upload(content: str, name="klienci.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, content.encode(encoding), content_type="text/csv")


def prepared(company, user, content=HEADER + ROWS, **kwargs):
    with schema_context(company.schema_name):
        job = import_prepare(upload=upload(content, **kwargs), user=user)
        return job


def run(company, job, **changes):
    with schema_context(company.schema_name):
        for key, value in changes.items():
            setattr(job, key, value)
        job.status = ImportStatus.QUEUED
        job.save()
        return import_run(job.pk)


def test_columns_are_recognised_from_polish_headers(company_a, szef):
    job = prepared(company_a, szef)
    assert job.delimiter == ";"
    assert job.total_rows == 9
    assert job.mapping == {
        "name": 0,
        "tax_id": 1,
        "email": 2,
        "phone": 3,
        "city": 4,
        "status": 5,
        "groups": 6,
        "tags": 7,
        "owner": 8,
    }


def test_import_with_bad_rows_reports_each_problem_and_imports_the_rest(company_a, szef):
    with schema_context(company_a.schema_name):
        CustomerFactory(name="Stary", email="istnieje@x.pl", owner=szef)
    job = run(company_a, prepared(company_a, szef))

    assert job.status == ImportStatus.DONE
    assert not job.file  # the uploaded CSV is removed once imported
    assert (job.created_count, job.updated_count, job.error_count, job.skipped_count) == (2, 0, 5, 2)
    report = {entry["row"]: " ".join(entry["messages"]) for entry in job.errors}
    assert "sumę kontrolną" in report[3]
    assert "niepoprawny adres" in report[4]
    assert "Brak nazwy klienta." in report[5]
    assert "Fioletowy" in report[6]
    assert "Klient już istnieje" in report[7]
    assert "Powtórzenie wiersza 2" in report[8]
    assert "Nie Ma Takiej" in report[9]
    with schema_context(company_a.schema_name):
        good = Customer.objects.get(name="Dobra Firma Sp. z o.o.")
        assert good.tax_id == "5260001246"
        assert good.status.name == "Nowy"
        assert sorted(good.groups.values_list("name", flat=True)) == ["Klient VIP", "Klient Złoty"]
        assert good.tags == ["hurt", "eksport"]
        assert good.owner == szef
        assert good.search_text == Customer.objects.get(pk=good.pk).search_text
        assert "lodz" in good.search_text  # the city is searched too (issue 13)
        assert Customer.objects.filter(search_text__contains="600100200").get() == good
        assert TimelineEvent.objects.filter(customer=good, kind="customer_imported").exists()
        assert Customer.objects.count() == 3


def test_update_mode_updates_existing_customers_by_email_or_nip_without_blanking(company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        by_nip = CustomerFactory(name="Po NIP", tax_id="5260001246", email="", phone="+48 999", owner=szef)
        by_email = CustomerFactory(name="Po e-mailu", email="stary@x.pl", phone="+48 111", city="Gdańsk", owner=szef)
    content = (
        "Nazwa;NIP;E-mail;Telefon;Miasto\nNowa nazwa NIP;5260001246;;;Poznań\nNowa nazwa mail;;STARY@x.pl;+48 222;\n"
    )
    job = run(company_a, prepared(company_a, pracownik, content), duplicate_mode="update")
    assert (job.created_count, job.updated_count, job.error_count) == (0, 2, 0)
    with schema_context(company_a.schema_name):
        by_nip.refresh_from_db()
        by_email.refresh_from_db()
    assert (by_nip.name, by_nip.city, by_nip.phone) == ("Nowa nazwa NIP", "Poznań", "+48 999")
    assert (by_email.name, by_email.phone, by_email.city) == ("Nowa nazwa mail", "+48 222", "Gdańsk")
    assert "nowa nazwa mail" in by_email.search_text


def test_restricted_pracownik_cannot_update_a_colleagues_customer_by_import(
    company_a, szef, pracownik, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        theirs = CustomerFactory(name="Klient Szefa", email="szefa@x.pl", owner=szef)
    content = "Nazwa;E-mail;Opiekun\nPrzejęty;szefa@x.pl;\nNowy mój;nowy@x.pl;szef@alfa.test\n"
    job = run(company_a, prepared(company_a, pracownik, content), duplicate_mode="update")
    assert (job.created_count, job.updated_count, job.error_count) == (1, 0, 1)
    with schema_context(company_a.schema_name):
        theirs.refresh_from_db()
        assert theirs.name == "Klient Szefa"
        assert Customer.objects.get(email="nowy@x.pl").owner == pracownik


def test_windows_1250_file_with_commas_is_read(company_a, szef):
    job = prepared(company_a, szef, "Nazwa,Miasto\nZażółć Gęślą,Łódź\n", encoding="cp1250")
    assert job.encoding == "cp1250"
    assert job.delimiter == ","
    job = run(company_a, job)
    with schema_context(company_a.schema_name):
        assert Customer.objects.get().name == "Zażółć Gęślą"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("", "pusty.csv", "pusty"),
        ("Nazwa\n", "naglowek.csv", "nie zawiera wierszy"),
        ("Nazwa\nX\n", "arkusz.xlsx", "arkusza Excel"),  # text under an .xlsx name: not a workbook
        ("\x00\x01binarne", "binarny.csv", "binarny"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(company_a, szef, content, name, message):
    with schema_context(company_a.schema_name), pytest.raises(ImportFileError) as err:
        import_prepare(upload=upload(content, name=name), user=szef)
    assert message in str(err.value)
    with schema_context(company_a.schema_name):
        assert not CustomerImport.objects.exists()


def test_import_pages_upload_map_preview_and_queue(client_a, szef, company_a, django_capture_on_commit_callbacks):
    client_a.login_as(szef)
    assert client_a.get("/customers/import/").status_code == 200
    response = client_a.post("/customers/import/", {"file": upload(HEADER + ROWS)})
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        job = CustomerImport.objects.get()
    assert response["Location"] == f"/customers/import/{job.pk}/"

    page = client_a.get(f"/customers/import/{job.pk}/").content.decode()
    assert "Dobra Firma Sp. z o.o." in page
    assert "sumę kontrolną" in page  # the preview shows row errors before importing

    no_name = client_a.post(f"/customers/import/{job.pk}/", {"action": "start", "map_email": "2"})
    assert no_name.status_code == 400
    assert "Wskaż kolumnę z nazwą klienta" in no_name.content.decode()

    mapping = {f"map_{k}": v for k, v in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client_a.post(
            f"/customers/import/{job.pk}/", {"action": "start", "duplicate_mode": "skip", **mapping}
        )
    assert started.status_code == 302
    assert len(callbacks) == 1
    with schema_context(company_a.schema_name):
        job.refresh_from_db()
        assert job.status == ImportStatus.QUEUED
        import_run(job.pk)
    progress = client_a.get(f"/customers/import/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in progress  # finished: polling stops
    assert "Dodano: 3" in progress
    assert "Brak nazwy klienta." in progress
    report = b"".join(client_a.get(f"/customers/import/{job.pk}/report.csv").streaming_content).decode("utf-8-sig")
    assert "Brak nazwy klienta." in report


def test_unfinished_import_page_keeps_polling(client_a, szef, company_a):
    job = prepared(company_a, szef)
    with schema_context(company_a.schema_name):
        CustomerImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, processed_rows=3)
    html = client_a.login_as(szef).get(f"/customers/import/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'data-progress="33"' in html


def test_bad_upload_is_refused_on_the_page(client_a, szef, company_a):
    response = client_a.login_as(szef).post("/customers/import/", {"file": upload("x", name="a.exe")})
    assert response.status_code == 400
    assert "rozszerzenie .csv" in response.content.decode()


def test_another_users_or_companys_import_is_not_found(client_a, client_b, pracownik, outsider, szef, company_a):
    job = prepared(company_a, szef)
    client_a.login_as(pracownik)
    client_b.login_as(outsider)
    for url in (
        f"/customers/import/{job.pk}/",
        f"/customers/import/{job.pk}/progress/",
        f"/customers/import/{job.pk}/report.csv",
    ):
        assert client_a.get(url).status_code == 404
        assert client_b.get(url).status_code == 404


@pytest.mark.timing
def test_ten_thousand_rows_import_well_under_a_minute(company_a, szef):
    with schema_context(company_a.schema_name):
        vip = ContactGroup.objects.get(name="Klient VIP")
    lines = [HEADER]
    for i in range(10_000):
        lines.append(f"Firma {i} Łódź;;kontakt{i}@firma{i}.pl;+48 600 {i:06d};Łódź;Nowy;{vip.name};hurt;\n")
    job = prepared(company_a, szef, "".join(lines))
    started = time.monotonic()
    job = run(company_a, job)
    took = time.monotonic() - started
    assert job.created_count == 10_000
    assert job.error_count == 0
    assert took < 30, f"10,000 rows took {took:.1f} s"
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(search_text__contains="firma 9999 lodz").count() == 1
        assert vip.customer_set.count() == 10_000


def test_settings_have_an_import_size_limit():
    assert settings.IMCRM_IMPORT_MAX_BYTES >= 1024 * 1024


def test_a_job_whose_file_is_gone_or_garbled_says_so_instead_of_failing(client_a, szef, company_a):
    job = prepared(company_a, szef)
    with schema_context(company_a.schema_name):
        job.file.delete(save=False)
        CustomerImport.objects.filter(pk=job.pk).update(
            file="imports/nie-ma.csv", encoding="NIE-MA", delimiter="x", mapping={"name": "0", "evil": 99}
        )
    page = client_a.login_as(szef).get(f"/customers/import/{job.pk}/")
    assert page.status_code == 200
    assert "Plik importu nie jest już dostępny" in page.content.decode()
    with schema_context(company_a.schema_name):
        CustomerImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, mapping={"name": 0})
        finished = import_run(job.pk)
    assert finished.status == ImportStatus.FAILED
    assert "nie jest już dostępny" in finished.failure
