"""Szef decides whether a Pracownik may import, export and delete customers (Settings >
Bezpieczeństwo > Uprawnienia). Defaults follow Pipedrive's regular user: import yes,
delete own customers yes, export no. A refused action has no button and answers 403."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from tests.crm.contacts.factories import CustomerFactory
from tests.support.api_tokens import api_headers


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("klienci.csv", b"Nazwa;E-mail\nNowa Firma;nowa@x.pl\n", "text/csv")


def test_defaults_let_a_pracownik_import_and_delete_but_not_export(company_a):
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
    assert (row.pracownik_may_import, row.pracownik_may_delete, row.pracownik_may_export) == (True, True, False)


def test_pracownik_without_export_sees_no_export_button_and_gets_403(client_a, pracownik, szef, company_a):
    client_a.login_as(pracownik)
    page = client_a.get("/customers/").content.decode()
    assert "/customers/export/" not in page
    assert client_a.get("/customers/export/", {"format": "csv"}).status_code == 403
    assert client_a.get("/customers/export/", {"format": "xlsx"}).status_code == 403


def test_szef_allows_export_and_the_pracownik_gets_the_file(client_a, pracownik, company_settings_a):
    company_settings_a(pracownik_may_export=True)
    client_a.login_as(pracownik)
    assert "/customers/export/" in client_a.get("/customers/").content.decode()
    assert client_a.get("/customers/export/", {"format": "csv"}).status_code == 200


@pytest.mark.parametrize("who", ["szef", "kierownik"])
def test_szef_and_kierownik_always_export_import_and_delete(
    client_a, company_a, szef, kierownik, company_settings_a, who
):
    company_settings_a(pracownik_may_export=False, pracownik_may_import=False, pracownik_may_delete=False)
    user = {"szef": szef, "kierownik": kierownik}[who]
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(user)
    page = client_a.get("/customers/").content.decode()
    assert "/customers/export/" in page and "/customers/import/" in page
    assert client_a.get("/customers/export/", {"format": "csv"}).status_code == 200
    assert client_a.get("/customers/import/").status_code == 200
    response = client_a.delete(f"/api/v1/customers/{customer.pk}/", **api_headers(company_a, user))
    assert response.status_code == 204


def test_pracownik_without_import_sees_no_import_button_and_gets_403(
    client_a, company_a, pracownik, company_settings_a
):
    company_settings_a(pracownik_may_import=False)
    client_a.login_as(pracownik)
    assert "/customers/import/" not in client_a.get("/customers/").content.decode()
    assert client_a.get("/customers/import/").status_code == 403
    assert client_a.post("/customers/import/", {"file": _upload()}).status_code == 403
    with schema_context(company_a.schema_name):
        assert not Customer.objects.filter(name="Nowa Firma").exists()


def test_pracownik_without_delete_sees_no_bin_and_gets_403_on_page_and_api(
    client_a, company_a, pracownik, company_settings_a
):
    company_settings_a(pracownik_may_delete=False)
    with schema_context(company_a.schema_name):
        own = CustomerFactory(owner=pracownik, name="Własny Klient")
    client_a.login_as(pracownik)

    card = client_a.get(f"/customers/{own.pk}/").content.decode()
    api = client_a.delete(f"/api/v1/customers/{own.pk}/", **api_headers(company_a, pracownik))

    assert "Własny Klient" in card and f"/customers/{own.pk}/delete/" not in card
    assert client_a.get(f"/customers/{own.pk}/delete/").status_code == 403
    assert client_a.post(f"/customers/{own.pk}/delete/").status_code == 403
    assert api.status_code == 403 and "Szef" in api.json()["detail"]
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(pk=own.pk).exists()


def test_pracownik_with_delete_allowed_deletes_his_own_customer_through_the_api(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        own = CustomerFactory(owner=pracownik)
    response = client_a.delete(f"/api/v1/customers/{own.pk}/", **api_headers(company_a, pracownik))
    assert response.status_code == 204


def test_settings_page_saves_the_three_switches(client_a, company_a, szef, pracownik):
    client_a.login_as(szef)
    page = client_a.get("/settings/security/").content.decode()
    assert 'name="pracownik_may_export"' in page
    response = client_a.post(
        "/settings/security/",
        {
            "session_timeout_minutes": "0",
            "allowed_ips": "",
            "pracownik_may_export": "on",
            "pracownik_may_import": "",
        },
    )
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        row = CompanySettings.objects.get(pk=1)
    assert (row.pracownik_may_export, row.pracownik_may_import, row.pracownik_may_delete) == (True, False, False)
    assert client_a.login_as(pracownik).get("/settings/security/").status_code == 403


def test_outsider_cannot_reach_the_export_of_another_company(client_b, outsider, company_a):
    # company B's own export: its Szef may; nothing of company A is in it
    with schema_context(company_a.schema_name):
        CustomerFactory(name="Tylko W Alfie")
    response = client_b.login_as(outsider).get("/customers/export/", {"format": "csv"})
    assert response.status_code == 200
    assert "Tylko W Alfie" not in b"".join(response.streaming_content).decode()
