"""/api/v1/contracts/: the contract fields, validation in Polish, sending, renewing,
ranks, and another company's contract is a 404."""

from __future__ import annotations

from django.core import mail
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.contracts.models import Contract, ContractStatus, ContractType
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.contracts.factories import contract_make
from tests.crm.sales.helpers import deal_make

CONTRACT_FIELDS = {
    "id",
    "subject",
    "customer",
    "deal",
    "type",
    "value",
    "currency",
    "start_date",
    "end_date",
    "status",
    "signed_at",
    "signed_by",
    "description",
}


def _post(client, body, url="/api/v1/contracts/"):
    return client.post(url, body, content_type="application/json")


def test_creating_a_contract_gives_a_draft_with_the_contract_fields(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        kind = ContractType.objects.first()

    response = _post(
        api_szef,
        {
            "customer": customer.pk,
            "subject": "Wdrożenie CRM",
            "type": kind.pk,
            "value": "15000.00",
            "currency": "EUR",
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
            "description": "Treść umowy",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= CONTRACT_FIELDS
    assert (body["status"], body["value"], body["currency"], body["signed_at"]) == ("draft", "15000.00", "EUR", None)
    assert body["type"] == kind.pk and body["end_date"] == "2027-12-31"
    with schema_context(company_a.schema_name):
        contract = Contract.objects.get(pk=body["id"])
        assert contract.owner == szef and contract.created_by == szef
        assert ActivityEntry.objects.filter(code="contract.created", object_id=str(contract.pk)).exists()


def test_an_end_before_the_start_is_refused_in_polish_and_nothing_is_saved(company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        other_deal = deal_make()

    response = _post(
        api_szef,
        {
            "customer": customer.pk,
            "deal": other_deal.pk,
            "subject": "Umowa",
            "start_date": "2027-05-10",
            "end_date": "2027-05-01",
        },
    )

    assert response.status_code == 400
    errors = response.json()
    assert errors["end_date"] == ["Data zakończenia nie może być wcześniejsza niż data rozpoczęcia."]
    assert "należy do innego klienta" in errors["deal"][0]
    with schema_context(company_a.schema_name):
        assert not Contract.objects.exists()


def test_field_errors_are_polish(company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()

    response = _post(api_szef, {"customer": customer.pk, "subject": "", "value": "-5", "currency": "zl"})

    assert response.status_code == 400
    errors = response.json()
    assert errors["value"] == ["Wartość umowy nie może być ujemna."]
    assert "trzech wielkich liter" in errors["currency"][0]
    assert "subject" in errors


def test_signed_status_cannot_be_set_by_hand(company_a, api_szef):
    with schema_context(company_a.schema_name):
        contract = contract_make()

    response = api_szef.patch(
        f"/api/v1/contracts/{contract.pk}/", {"status": "signed"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "podpis klienta" in response.json()["status"][0]


def test_sending_emails_the_link_and_marks_the_contract_sent(company_a, api_szef):
    with schema_context(company_a.schema_name):
        contract = contract_make()
    mail.outbox.clear()

    response = _post(api_szef, {"to": ["prezes@klient.test"]}, url=f"/api/v1/contracts/{contract.pk}/send/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "sent" and f"/c/{contract.public_token}/" in body["public_url"]
    assert [m.to for m in mail.outbox] == [["prezes@klient.test"]]
    assert f"/c/{contract.public_token}/" in mail.outbox[0].body


def test_renewing_makes_a_linked_draft_with_the_new_dates(company_a, api_szef):
    with schema_context(company_a.schema_name):
        contract = contract_make()

    response = _post(
        api_szef,
        {"start_date": "2028-01-01", "end_date": "2028-12-31"},
        url=f"/api/v1/contracts/{contract.pk}/renew/",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["renewed_from"], body["status"]) == (contract.pk, "draft")
    assert (body["start_date"], body["end_date"]) == ("2028-01-01", "2028-12-31")
    assert body["subject"] == contract.subject and body["value"] == "12000.00"
    with schema_context(company_a.schema_name):
        assert Contract.objects.count() == 2
        assert Contract.objects.get(pk=contract.pk).status == ContractStatus.DRAFT


def test_a_renewal_ending_before_it_starts_is_refused(company_a, api_szef):
    with schema_context(company_a.schema_name):
        contract = contract_make()

    response = _post(
        api_szef, {"start_date": "2028-01-01", "end_date": "2027-12-31"}, url=f"/api/v1/contracts/{contract.pk}/renew/"
    )

    assert response.status_code == 400
    assert "wcześniejsza niż data rozpoczęcia" in response.json()["end_date"][0]
    with schema_context(company_a.schema_name):
        assert Contract.objects.count() == 1


def test_contract_types_are_listed_with_their_colours(api_szef):
    response = api_szef.get("/api/v1/contract-types/")

    assert response.status_code == 200
    assert response.json()["results"][0]["color"].startswith("#")


def test_another_companys_contract_is_not_found(company_a, api_outsider):
    with schema_context(company_a.schema_name):
        contract = contract_make()

    for method, url in (
        ("get", f"/api/v1/contracts/{contract.pk}/"),
        ("patch", f"/api/v1/contracts/{contract.pk}/"),
        ("delete", f"/api/v1/contracts/{contract.pk}/"),
        ("post", f"/api/v1/contracts/{contract.pk}/send/"),
        ("post", f"/api/v1/contracts/{contract.pk}/renew/"),
    ):
        response = getattr(api_outsider, method)(url, {}, content_type="application/json")
        assert response.status_code == 404, (method, url)
    assert api_outsider.get("/api/v1/contracts/").json()["count"] == 0


def test_a_pracownik_cannot_change_a_colleagues_contract(company_a, szef, api_pracownik):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef)

    seen = api_pracownik.get(f"/api/v1/contracts/{contract.pk}/")
    change = api_pracownik.patch(f"/api/v1/contracts/{contract.pk}/", {"subject": "X"}, content_type="application/json")
    delete = api_pracownik.delete(f"/api/v1/contracts/{contract.pk}/")

    assert seen.status_code == 200
    assert change.status_code == delete.status_code == 403
    with schema_context(company_a.schema_name):
        assert Contract.objects.get(pk=contract.pk).subject == contract.subject


def test_a_restricted_pracownik_sees_only_his_own_contracts(company_a, szef, api_restricted_pracownik, pracownik):
    with schema_context(company_a.schema_name):
        colleagues = contract_make(actor=szef)
        own = contract_make(actor=pracownik, customer=CustomerFactory(owner=pracownik))

    listed = api_restricted_pracownik.get("/api/v1/contracts/").json()

    assert [row["id"] for row in listed["results"]] == [own.pk]
    assert api_restricted_pracownik.get(f"/api/v1/contracts/{colleagues.pk}/").status_code == 404
