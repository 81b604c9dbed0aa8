"""/api/v1/settings/company/ (GET, PATCH; Szef only): the seller on invoices and the
invoicing settings, with NIP and IBAN checksums; bad input changes nothing."""

from __future__ import annotations

import pytest

from crm.activity.models import ActivityEntry
from crm.company.models import CompanySettings
from tenants.models import Company

URL = "/api/v1/settings/company/"


def test_szef_reads_and_changes_the_company_data(api_szef, company_a, in_a):
    response = api_szef.patch(
        URL,
        {
            "name": "Alfa Handel Sp. z o.o.",
            "tax_id": "526-025-02-74",
            "address": "ul. Długa 5/7",
            "postal_code": "00-950",
            "city": "Warszawa",
            "bank_account": "61 1090 1014 0000 0712 1981 2874",
            "email": "faktury@alfa.test",
            "phone": "+48 22 123 45 67",
            "payment_term_days": 21,
            "place_of_issue": "Warszawa",
            "invoice_number_pattern": "F/{NR}/{MM}/{YYYY}",
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    data = api_szef.get(URL).json()
    assert data["name"] == "Alfa Handel Sp. z o.o."
    assert data["tax_id"] == "5260250274"
    assert data["address"] == "ul. Długa 5/7"
    assert data["bank_account"] == "PL61109010140000071219812874"  # a Polish NRB taken as PL IBAN
    assert data["payment_term_days"] == 21
    assert data["invoice_number_pattern"] == "F/{NR}/{MM}/{YYYY}"
    assert Company.objects.get(pk=company_a.pk).name == "Alfa Handel Sp. z o.o."
    with in_a():
        assert CompanySettings.objects.get(pk=1).street == "ul. Długa 5/7"
        assert ActivityEntry.objects.filter(code="settings.changed").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tax_id": "5260250275"}, "tax_id"),
        ({"bank_account": "PL61109010140000071219812875"}, "bank_account"),
        ({"bank_account": "12345"}, "bank_account"),
        ({"postal_code": "00950"}, "postal_code"),
        ({"invoice_number_pattern": "FV/{YYYY}/{NR}"}, "invoice_number_pattern"),  # monthly reset needs {MM}
        ({"proforma_number_pattern": "FV/{YYYY}/{MM}/{NR}"}, "proforma_number_pattern"),  # same as VAT
        ({"name": "  "}, "name"),
        ({"payment_term_days": 400}, "payment_term_days"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_changes(api_szef, body, field, in_a):
    response = api_szef.patch(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()
    with in_a():
        settings = CompanySettings.objects.get(pk=1)
        assert settings.tax_id == "" and settings.bank_account == ""
        assert settings.invoice_number_pattern == "FV/{YYYY}/{MM}/{NR}"


def test_switching_to_yearly_numbering_needs_patterns_without_the_month_check(api_szef):
    refused = api_szef.patch(
        URL, {"number_reset": "yearly", "invoice_number_pattern": "FV/{NR}"}, content_type="application/json"
    )
    accepted = api_szef.patch(
        URL, {"number_reset": "yearly", "invoice_number_pattern": "FV/{NR}/{YYYY}"}, content_type="application/json"
    )

    assert refused.status_code == 400 and "invoice_number_pattern" in refused.json()
    assert accepted.status_code == 200 and accepted.json()["number_reset"] == "yearly"


@pytest.mark.parametrize("client_name", ["api_kierownik", "api_pracownik"])
def test_other_ranks_get_403(client_name, request):
    client = request.getfixturevalue(client_name)

    assert client.get(URL).status_code == 403
    assert client.patch(URL, {"name": "Przejęta"}, content_type="application/json").status_code == 403


def test_another_company_reads_its_own_data_only(api_outsider, api_szef, company_b):
    api_szef.patch(URL, {"tax_id": "5260250274"}, content_type="application/json")

    data = api_outsider.get(URL).json()

    assert data["tax_id"] == "" and data["name"] == company_b.name
