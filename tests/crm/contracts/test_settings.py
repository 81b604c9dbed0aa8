"""Settings > Umowy: Szef keeps the contract types (colours) and the days before the end
a contract's owner is reminded; other ranks get 403."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.contracts.demo import CONTRACTS, contracts_demo_seed
from crm.contracts.models import Contract, ContractSettings, ContractType
from tests.crm.contacts.factories import CustomerFactory


def test_szef_sets_the_reminder_days(client_a, szef, company_a):
    client_a.login_as(szef)
    page = client_a.get("/settings/contracts/")

    response = client_a.post("/settings/contracts/", {"reminder_days": "21"})

    assert page.status_code == 200 and "Typy umów" in page.content.decode()
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert ContractSettings.current().reminder_days == 21


def test_a_wrong_number_of_days_is_refused_with_a_message(client_a, szef, company_a):
    response = client_a.login_as(szef).post("/settings/contracts/", {"reminder_days": "0"})

    assert response.status_code == 400
    assert "reminder_days" in response.context["extra_form"].errors
    with schema_context(company_a.schema_name):
        assert ContractSettings.current().reminder_days == 30


def test_szef_adds_a_contract_type_with_a_colour(client_a, szef, company_a):
    response = client_a.login_as(szef).post(
        "/settings/categories/contract-types/add/",
        {"contract-types-name": "Umowa najmu", "contract-types-color": "#123456"},
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert ContractType.objects.filter(name="Umowa najmu", color="#123456").exists()


def test_a_pracownik_cannot_open_contract_settings(client_a, pracownik, company_a):
    client_a.login_as(pracownik)

    assert client_a.get("/settings/contracts/").status_code == 403
    assert client_a.post("/settings/contracts/", {"reminder_days": "5"}).status_code == 403
    with schema_context(company_a.schema_name):
        assert ContractSettings.current().reminder_days == 30


def test_the_demo_company_gets_sample_contracts_once(company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory.create_batch(3)
        assert contracts_demo_seed() == len(CONTRACTS) + 1  # and the renewal of the expired one
        assert contracts_demo_seed() == 0
        assert Contract.objects.filter(renewed_from__isnull=False).count() == 1
        assert Contract.objects.exclude(signed_hash="").count() == 2
