"""Activity entries written by the services for actions made on pages and through the
API: stored as event codes with parameters and read in the reader's language."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tenants.utils import schema_context

from crm.accounts.tokens import api_token_create
from crm.activity.models import ActivityEntry, ActivityKind
from crm.contacts.imports import import_prepare, import_run
from crm.contacts.models import ImportStatus
from tests.crm.sales.helpers import customer_make, deal_make, stages, task_make
from tests.support.api_tokens import api_headers

pytestmark = pytest.mark.django_db


def _entries(company, **filters) -> list[ActivityEntry]:
    with schema_context(company.schema_name):
        return list(ActivityEntry.objects.filter(**filters).order_by("id"))


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_customer_added_on_the_page_is_logged_with_its_author_and_address(client_a, company_a, szef):
    client_a.login_as(szef)
    response = client_a.post(
        "/customers/new/", {"kind": "company", "name": "Żuraw Sp. z o.o."}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302

    [entry] = _entries(company_a, code="customer.created")
    assert (entry.kind, entry.user_id, entry.ip, entry.object_repr) == (
        ActivityKind.CREATE,
        szef.pk,
        "203.0.113.7",
        "Żuraw Sp. z o.o.",
    )
    assert entry.message == "Dodano klienta Żuraw Sp. z o.o."


def test_a_deal_changed_through_the_api_lists_each_field_with_its_old_and_new_value(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, name="Wdrożenie", value=Decimal("1000.00"), stage=stages()[0])
        first, target = stages()[0], stages()[2]

    response = client_a.patch(
        f"/api/v1/deals/{deal.pk}/",
        {"value": "2500.00", "stage": target.pk},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.9",
        **api_headers(company_a, szef),
    )

    assert response.status_code == 200
    [entry] = _entries(company_a, code="deal.updated", object_id=str(deal.pk))
    assert entry.user_id == szef.pk and entry.ip == "203.0.113.9"
    changes = {c["field"]: (c["from"], c["to"]) for c in entry.params["changes"]}
    assert changes == {"value": ("1000.00", "2500.00"), "stage": (first.name, target.name)}
    assert "wartość: 1000.00 → 2500.00" in entry.message
    with translation.override("en"):
        assert f"value: 1000.00 → 2500.00; stage: {first.name} → {target.name}" in entry.text


def test_a_task_change_lists_what_changed(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        task = task_make(title="Zadzwonić", assignee=szef, created_by=szef)

    client_a.login_as(szef)
    response = client_a.patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Zadzwonić jutro"}, content_type="application/json"
    )

    assert response.status_code == 200
    [entry] = _entries(company_a, code="task.updated")
    assert entry.params["changes"] == [{"field": "title", "from": "Zadzwonić", "to": "Zadzwonić jutro"}]


def test_an_english_reader_sees_in_english_what_a_polish_user_did(client_a, company_a, szef):
    client_a.login_as(szef).post("/customers/new/", {"kind": "company", "name": "Żuraw"})
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, customer=customer_make(owner=szef), value=Decimal("10.00"))
    client_a.patch(f"/api/v1/deals/{deal.pk}/", {"value": "20.00"}, content_type="application/json")

    polish = client_a.get("/settings/activity/").content.decode()
    assert "Dodano klienta Żuraw" in polish and "wartość: 10.00 → 20.00" in polish

    _english(client_a)
    page = client_a.get("/settings/activity/").content.decode()
    assert "Added the customer Żuraw" in page and "Dodano klienta" not in page
    assert "value: 10.00 → 20.00" in page

    rows = client_a.get("/api/v1/settings/activity/", {"kind": "create"}).json()["results"]
    customer_row = next(r for r in rows if r["code"] == "customer.created")
    assert customer_row["message"] == "Added the customer Żuraw"
    assert customer_row["params"] == {"name": "Żuraw"}

    exported = client_a.get("/settings/activity/export.csv", {"kind": "create"})
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][0] == "When"
    assert any(row[5] == "Added the customer Żuraw" for row in table[1:])


def test_old_entries_without_a_code_still_show_their_text(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        ActivityEntry.objects.create(kind=ActivityKind.OTHER, message="Stary wpis sprzed zmian")
    page = _english(client_a.login_as(szef)).get("/settings/activity/").content.decode()
    assert "Stary wpis sprzed zmian" in page


def test_a_customer_export_is_logged_with_rows_format_and_filters(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        customer_make(name="Alfa Łódź", owner=szef)
        customer_make(name="Alfa Kraków", owner=szef)
        customer_make(name="Beta", owner=szef)

    response = client_a.login_as(szef).get("/customers/export/", {"format": "xlsx", "q": "Alfa"})

    assert response.status_code == 200
    [entry] = _entries(company_a, kind=ActivityKind.EXPORT)
    assert entry.user_id == szef.pk
    assert entry.params == {"what": "customers", "format": "xlsx", "rows": 2, "filters": {"q": "Alfa"}}
    assert entry.message == "Eksport: klienci, format XLSX, wiersze: 2, filtry: q=Alfa."
    with translation.override("en"):
        assert entry.text == "Export: customers, format XLSX, rows: 2, filters: q=Alfa."


def test_the_activity_export_and_a_report_export_are_logged_with_their_filters(client_a, company_a, szef):
    client_a.login_as(szef).get("/settings/activity/export.csv", {"kind": "login"})
    client_a.get("/reports/open-sales/csv/")

    activity, report = _entries(company_a, kind=ActivityKind.EXPORT)
    assert activity.params["what"] == "activity" and activity.params["format"] == "csv"
    assert activity.params["filters"] == {"kind": "login"}
    assert report.params["what"] == "report" and isinstance(report.params["rows"], int)


def test_a_customer_import_is_logged_once_with_its_rows_and_format(company_a, szef):
    content = "Nazwa;E-mail\nPierwsza;a@x.pl\nDruga;b@x.pl\n"
    with schema_context(company_a.schema_name):
        job = import_prepare(upload=SimpleUploadedFile("klienci.csv", content.encode()), user=szef)
        job.mapping = {"name": 0, "email": 1}
        job.status = ImportStatus.QUEUED
        job.save()
        import_run(job.pk)

    [entry] = _entries(company_a, kind=ActivityKind.IMPORT)
    assert entry.user_id == szef.pk and entry.code == "import"
    assert (entry.params["file"], entry.params["format"], entry.params["rows"], entry.params["created"]) == (
        "klienci.csv",
        "csv",
        2,
        2,
    )
    assert not _entries(company_a, code="customer.created")  # one entry per import, not one per row


def test_revoking_a_token_on_the_page_and_through_the_api_writes_the_same_entry(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        first = api_token_create(user=pracownik, name="laptop").token
        second = api_token_create(user=pracownik, name="telefon").token
    client_a.login_as(szef)
    client_a.post(f"/settings/users/{pracownik.pk}/tokens/", {"token": first.pk})
    client_a.delete(f"/api/v1/settings/users/{pracownik.pk}/tokens/{second.pk}/")

    page, api = _entries(company_a, code="staff.token_revoked")
    assert page.message.startswith("Unieważniono token API „laptop”")
    assert api.message.startswith("Unieważniono token API „telefon”")
    assert page.user_id == api.user_id == szef.pk
    assert page.object_id == api.object_id == str(pracownik.pk)
