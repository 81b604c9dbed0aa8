"""Limits on import files: size, columns, header length and rows are refused at upload
with a message next to the field and nothing stored; the mapping page reads only the
start of the stored file, whatever it holds further on."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as dj_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.contacts.import_files import HEAD_BYTES
from crm.contacts.imports import import_run
from crm.contacts.models import Customer, CustomerImport, ImportStatus

pytestmark = pytest.mark.django_db

ROW = "Firma {i};firma{i}@x.pl;Łódź\n"


def _csv(rows: int = 3, *, header: str = "Nazwa;E-mail;Miasto\n") -> str:
    return header + "".join(ROW.format(i=i) for i in range(rows))


def _upload(client, content: str | bytes, name: str = "klienci.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post("/customers/import/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def small_limits(settings):
    settings.IMCRM_IMPORT_MAX_BYTES = 2000
    settings.IMCRM_IMPORT_MAX_COLUMNS = 5
    settings.IMCRM_IMPORT_MAX_HEADER_CHARS = 20
    settings.IMCRM_IMPORT_MAX_ROWS = 10
    return settings


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_csv(3) + "x" * (4096 - len(_csv(3).encode())), "Plik jest za duży: 4,0 KB, a można wczytać najwyżej 2,0 KB."),
        (_csv(3, header="A;B;C;D;E;F\n"), "Plik ma 6 kolumn, a można wczytać najwyżej 5."),
        (_csv(3, header="Nazwa;" + "N" * 21 + "\n"), "Nagłówek kolumny 2 ma 21 znaków, a może mieć najwyżej 20."),
        (_csv(11), "Plik ma więcej niż 10 wierszy z danymi."),
    ],
    ids=["bytes", "columns", "header-length", "rows"],
)
def test_a_file_past_a_limit_is_refused_next_to_the_field_and_nothing_is_stored(
    client_a, szef, company_a, small_limits, content, message
):
    response = _upload(client_a.login_as(szef), content)
    assert response.status_code == 400
    html = response.content.decode().replace("\xa0", " ")
    field = html.split('name="file"', 1)[1]
    assert "is-invalid" in html.split('name="file"', 1)[0][-300:] + field[:300]
    error = field.split('id="id_file-error"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    assert message in error
    assert "Najwyżej 2,0 KB, 5 kolumn i 10 wierszy z danymi." in html  # the limits, next to the field
    with schema_context(company_a.schema_name):
        assert not CustomerImport.objects.exists()
    assert _stored_files(small_limits) == []


def test_a_file_exactly_at_every_limit_is_accepted(client_a, szef, company_a, small_limits):
    header = ";".join(["Nazwa" + "x" * 15, "B", "C", "D", "E"]) + "\n"
    content = header + "".join(f"Firma {i};b;c;d;e\n" for i in range(10))
    assert len(content.encode()) <= 2000
    response = _upload(client_a.login_as(szef), content)
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        job = CustomerImport.objects.get()
    assert (len(job.header), job.total_rows) == (5, 10)


def test_the_upload_page_states_the_limits(client_a, szef):
    html = client_a.login_as(szef).get("/customers/import/").content.decode()
    assert "100 kolumn" in html and "5,0\xa0MB" in html


def test_english_speakers_get_the_limit_message_in_english(client_a, szef, small_limits):
    client_a.login_as(szef)
    client_a.cookies["django_language"] = "en"
    response = _upload(client_a, _csv(3, header="A;B;C;D;E;F\n"))
    assert "The file has 6 columns; at most 5 can be imported." in response.content.decode()


def test_the_defaults_are_set():
    assert dj_settings.IMCRM_IMPORT_MAX_BYTES == 5 * 1024 * 1024
    assert (dj_settings.IMCRM_IMPORT_MAX_COLUMNS, dj_settings.IMCRM_IMPORT_MAX_HEADER_CHARS) == (100, 200)
    assert dj_settings.IMCRM_IMPORT_MAX_ROWS == 50_000


def _job_with_file(client, company, content: str) -> CustomerImport:
    assert _upload(client, content).status_code == 302
    with schema_context(company.schema_name):
        return CustomerImport.objects.get()


def test_the_mapping_page_of_a_maximal_file_reads_only_its_start(client_a, szef, company_a):
    """100 columns with 200-character names, then rows; everything past the first
    rows replaced by garbage no CSV reader survives: the page still maps and previews."""
    names = ["Nazwa".ljust(200, "_"), "E-mail".ljust(200, "_"), *[f"K{i}".ljust(200, "_") for i in range(98)]]
    header = ";".join(names) + "\n"
    good = "".join(f"Firma {i};firma{i}@x.pl" + ";" * 98 + "\n" for i in range(12))
    job = _job_with_file(client_a.login_as(szef), company_a, header + good)
    garbage = b'"\x00\xff\xfe unterminated' + b"\x81\x00;" * (3 * HEAD_BYTES)
    with schema_context(company_a.schema_name):
        Path(job.file.path).write_bytes((header + good).encode() + garbage)
        assert Path(job.file.path).stat().st_size > 4 * HEAD_BYTES
    response = client_a.get(f"/customers/import/{job.pk}/", {"map_name": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "alert-danger" not in html
    assert html.count('name="map_') == 16 and "K97".ljust(200, "_") in html  # every column offered
    assert "Firma 0" in html and "Firma 9" in html
    preview = client_a.post(f"/customers/import/{job.pk}/", {"action": "preview", "map_name": "0", "map_email": "1"})
    assert preview.status_code == 200
    assert "firma9@x.pl" in preview.content.decode()


def test_a_stored_job_past_todays_limits_shows_a_message_instead_of_its_columns(client_a, szef, company_a):
    job = _job_with_file(client_a.login_as(szef), company_a, _csv(3))
    with schema_context(company_a.schema_name):
        CustomerImport.objects.filter(pk=job.pk).update(header=[f"k{i}" for i in range(20_000)])
    response = client_a.get(f"/customers/import/{job.pk}/")
    html = response.content.decode()
    assert "Plik ma 20000 kolumn, a można wczytać najwyżej 100." in html
    assert 'name="map_' not in html and "k19999" not in html and len(html) < 100_000
    started = client_a.post(f"/customers/import/{job.pk}/", {"action": "start", "map_name": "0"})
    assert 'name="map_' not in started.content.decode()
    with schema_context(company_a.schema_name):
        assert CustomerImport.objects.get(pk=job.pk).status == ImportStatus.UPLOADED


def test_the_import_run_refuses_a_job_past_the_row_limit_and_imports_nothing(client_a, szef, company_a, settings):
    job = _job_with_file(client_a.login_as(szef), company_a, _csv(20))
    settings.IMCRM_IMPORT_MAX_ROWS = 10
    with schema_context(company_a.schema_name):
        CustomerImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, mapping={"name": 0})
        finished = import_run(job.pk)
        assert not Customer.objects.exists()
    assert finished.status == ImportStatus.FAILED
    assert "więcej niż 10 wierszy" in finished.failure
