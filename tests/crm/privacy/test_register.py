"""Settings > Rejestr czynności przetwarzania (RODO art. 30): the data categories the
company keeps, with purpose, legal basis and retention; editable and printable; Szef only."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.privacy.models import ProcessingEntry


def test_the_register_lists_the_categories_the_crm_keeps(client_a, szef):
    page = client_a.login_as(szef).get("/settings/processing-register/")

    assert page.status_code == 200
    html = page.content.decode()
    for category in ("Klienci", "Osoby kontaktowe", "Faktury", "E-maile", "Pliki", "Zgody marketingowe"):
        assert category in html
    assert "5 lat od końca roku" in html
    assert "Rejestr czynności przetwarzania" in html


def test_szef_rewrites_a_row_and_brings_back_the_default(client_a, szef, company_a):
    client = client_a.login_as(szef)
    data = {"purpose": "Sprzedaż i serwis", "legal_basis": "art. 6 ust. 1 lit. b RODO", "retention": "10 lat"}

    saved = client.post("/settings/processing-register/customer/", data)

    assert saved.status_code == 302
    assert "10 lat" in client.get("/settings/processing-register/").content.decode()
    assert "10 lat" in client.get("/settings/processing-register/print/").content.decode()
    client.post("/settings/processing-register/customer/reset/")
    with schema_context(company_a.schema_name):
        assert not ProcessingEntry.objects.exists()


def test_an_empty_field_is_refused_next_to_it(client_a, szef, company_a):
    response = client_a.login_as(szef).post(
        "/settings/processing-register/customer/", {"purpose": " ", "legal_basis": "x", "retention": "y"}
    )

    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not ProcessingEntry.objects.exists()


def test_an_unknown_row_is_not_found(client_a, szef):
    assert client_a.login_as(szef).get("/settings/processing-register/nie-ma/").status_code == 404


def test_the_print_version_is_a_document_with_the_company_name(client_a, szef, company_a):
    page = client_a.login_as(szef).get("/settings/processing-register/print/")

    assert page.status_code == 200
    html = page.content.decode()
    assert company_a.name in html and "privacy_register.css" in html and "settings-menu" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/settings/processing-register/",
        "/settings/processing-register/print/",
        "/settings/processing-register/customer/",
    ],
)
@pytest.mark.parametrize("who", ["kierownik", "pracownik"])
def test_only_szef_opens_the_register(request, client_a, who, url):
    assert client_a.login_as(request.getfixturevalue(who)).get(url).status_code == 403


def test_reset_is_refused_below_szef(client_a, kierownik):
    assert client_a.login_as(kierownik).post("/settings/processing-register/customer/reset/").status_code == 403


@pytest.mark.parametrize("url", ["/settings/processing-register/", "/settings/processing-register/print/"])
def test_another_companys_szef_sees_only_his_own_register(client_b, outsider, company_a, url):
    with schema_context(company_a.schema_name):
        ProcessingEntry.objects.create(key="customer", purpose="Tajny cel Alfy", legal_basis="x", retention="y")

    page = client_b.login_as(outsider).get(url)

    assert page.status_code == 200 and "Tajny cel Alfy" not in page.content.decode()


def test_the_settings_menu_links_the_register(client_a, szef):
    html = client_a.login_as(szef).get("/settings/").content.decode()

    assert 'href="/settings/processing-register/"' in html
