"""CSV import of leads through the shared import machinery: pages (upload, mapping with
preview, progress, report), the run (bad rows reported, duplicates skipped or updated,
the "import finished" notification and the activity entry), ranks and isolation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.company.models import CompanySettings
from crm.contacts.imports import import_run
from crm.contacts.models import Customer, CustomerImport, ImportStatus
from crm.leads.models import Lead, LeadStatus
from crm.notifications.models import Notification
from tests.crm.leads.factories import lead_make

pytestmark = pytest.mark.django_db

HEADER = "Imię i nazwisko;Firma;E-mail;Telefon;NIP;Status;Wartość;Opiekun\n"
ROWS = (
    "Anna Nowak;Nowak Sp. z o.o.;anna@nowak.pl;600 100 200;526-000-12-46;;1 500,50;pracownik@alfa.test\n"
    ";Bez Nazwy;bez@nazwy.pl;;;;;\n"
    "Zły E-mail;;to-nie-email;;;;;\n"
    "Zła Kwota;;kwota@x.pl;;;;dużo;\n"
    "Istniejący;;jest@x.pl;;;;;\n"
    "Powtórka;;anna@nowak.pl;;;;;\n"
    "Nieznany Status;;status@x.pl;;;Fioletowy;;\n"
)


def upload(content: str, name: str = "leady.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_leads_are_imported_through_the_pages_with_a_report(
    client_a, szef, company_a, django_capture_on_commit_callbacks
):
    with schema_context(company_a.schema_name):
        lead_make(actor=szef, name="Stary Lead", email="jest@x.pl")
        customers_before = Customer.objects.count()
    client_a.login_as(szef)
    assert 'data-testid="lead-import"' in client_a.get("/leads/").content.decode()
    assert "Import leadów" in client_a.get("/leads/import/").content.decode()
    response = client_a.post("/leads/import/", {"file": upload(HEADER + ROWS)})
    with schema_context(company_a.schema_name):
        job = CustomerImport.objects.get(record_type="lead")
    assert response.status_code == 302 and response["Location"] == f"/leads/import/{job.pk}/"
    assert job.mapping == {
        "name": 0,
        "company_name": 1,
        "email": 2,
        "phone": 3,
        "tax_id": 4,
        "status": 5,
        "value": 6,
        "owner": 7,
    }

    page = client_a.get(f"/leads/import/{job.pk}/").content.decode()
    assert "Anna Nowak" in page and "niepoprawny adres" in page  # the preview checks rows
    no_name = client_a.post(f"/leads/import/{job.pk}/", {"action": "start", "map_email": "2"})
    assert no_name.status_code == 400 and "Wskaż kolumnę z imieniem i nazwiskiem leada" in no_name.content.decode()

    mapping = {f"map_{key}": value for key, value in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client_a.post(f"/leads/import/{job.pk}/", {"action": "start", "duplicate_mode": "skip", **mapping})
    assert started.status_code == 302 and started["Location"] == f"/leads/import/{job.pk}/progress/"
    assert len(callbacks) == 1
    with schema_context(company_a.schema_name):
        job = import_run(job.pk)
        anna = Lead.objects.get(email="anna@nowak.pl")
        assert (anna.name, anna.tax_id, str(anna.value), anna.owner.email) == (
            "Anna Nowak",
            "5260001246",
            "1500.50",
            "pracownik@alfa.test",
        )
        assert anna.status.code == "" and anna.created_by == szef
        assert Lead.objects.count() == 2 and Customer.objects.count() == customers_before
        notice = Notification.objects.get(recipient=szef)
        entry = ActivityEntry.objects.filter(code="import").latest("pk")
    assert (job.status, job.created_count, job.skipped_count, job.error_count) == (ImportStatus.DONE, 1, 2, 4)
    assert notice.url == f"/leads/import/{job.pk}/progress/"
    assert entry.params["record_type"] == "lead" and entry.params["created"] == 1

    progress = client_a.get(f"/leads/import/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "Dodano: 1" in progress and "Fioletowy" in progress and "/leads/?sort=-created" in progress
    report = b"".join(client_a.get(f"/leads/import/{job.pk}/report.csv").streaming_content).decode("utf-8-sig")
    assert "Brak imienia i nazwiska leada." in report and "dużo" in report


def test_update_mode_fills_the_lead_a_pracownik_may_change_only(company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        own = lead_make(actor=pracownik, name="Mój", email="moj@x.pl", phone="111")
        other = lead_make(actor=szef, name="Szefa", email="szefa@x.pl", phone="222")
        job = CustomerImport.objects.create(
            original_name="l.csv", header=["name", "email", "phone"], record_type="lead", created_by=pracownik
        )
        job.file.save("l.csv", upload("name,email,phone\nNowe Imię,moj@x.pl,\nCudzy,szefa@x.pl,999\n"), save=False)
        job.mapping = {"name": 0, "email": 1, "phone": 2}
        job.duplicate_mode = "update"
        job.status = ImportStatus.QUEUED
        job.total_rows = 2
        job.save()
        job = import_run(job.pk)
        own.refresh_from_db()
        other.refresh_from_db()
    assert (job.updated_count, job.error_count) == (1, 1)
    assert (own.name, own.phone) == ("Nowe Imię", "111")  # an empty cell does not blank a field
    assert (other.name, other.phone) == ("Szefa", "222")


def test_a_pracownik_without_the_import_permission_is_refused(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        settings = CompanySettings.current()
        settings.pracownik_may_import = False
        settings.save()
    client_a.login_as(pracownik)

    assert 'data-testid="lead-import"' not in client_a.get("/leads/").content.decode()
    assert client_a.get("/leads/import/").status_code == 403
    assert client_a.post("/leads/import/", {"file": upload(HEADER + ROWS)}).status_code == 403
    with schema_context(company_a.schema_name):
        assert not CustomerImport.objects.exists()


def test_a_bad_file_changes_nothing(client_a, szef, company_a):
    client_a.login_as(szef)

    response = client_a.post("/leads/import/", {"file": upload("x", name="leady.exe")})

    assert response.status_code == 400 and "rozszerzenie .csv" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not CustomerImport.objects.exists() and not Lead.objects.exists()


def test_a_lead_import_is_not_found_under_customers_nor_by_others(
    client_a, client_b, szef, pracownik, outsider, company_a
):
    client_a.login_as(szef)
    client_a.post("/leads/import/", {"file": upload(HEADER + ROWS)})
    with schema_context(company_a.schema_name):
        job = CustomerImport.objects.get()
        assert LeadStatus.objects.exists()
    client_b.login_as(outsider)
    urls = [f"/leads/import/{job.pk}/", f"/leads/import/{job.pk}/progress/", f"/leads/import/{job.pk}/report.csv"]

    assert client_a.get(f"/customers/import/{job.pk}/").status_code == 404
    for url in urls:
        assert client_b.get(url).status_code == 404
    client_a.login_as(pracownik)
    for url in urls:
        assert client_a.get(url).status_code == 404
