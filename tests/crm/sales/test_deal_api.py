"""/api/v1/deals/: the contract fields, the same rules as the pages, the schema."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from crm.notes.models import TimelineEvent
from crm.sales.models import Deal
from tests.crm.sales.helpers import customer_make, deal_make, stages, status, win_reason

CONTRACT_FIELDS = {
    "id",
    "name",
    "customer",
    "value",
    "currency",
    "category",
    "status",
    "stage",
    "win_reason",
    "loss_reason",
    "owner",
    "expected_close",
    "closed_at",
}


def test_list_gives_the_contract_fields_with_value_as_a_decimal_string(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, value=Decimal("1234.50"), currency="EUR")

    response = api_szef.get("/api/v1/deals/")

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert set(row) >= CONTRACT_FIELDS
    assert row["id"] == deal.pk
    assert row["value"] == "1234.50"
    assert row["currency"] == "EUR"
    assert row["customer"] == deal.customer_id
    assert row["status"] == deal.status_id


def test_create_through_the_api_uses_the_defaults(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = customer_make()

    response = api_szef.post(
        "/api/v1/deals/",
        {"name": "API szansa", "customer": customer.pk, "value": "99.99"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["currency"] == "PLN"
    assert body["owner"] == szef.pk
    with schema_context(company_a.schema_name):
        deal = Deal.objects.get(pk=body["id"])
        assert deal.status.code == "in_progress"
        assert deal.stage == stages()[0]


def test_create_as_won_without_a_reason_is_a_400_and_nothing_is_saved(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = customer_make()
        won = status("won")

    response = api_szef.post(
        "/api/v1/deals/",
        {"name": "Od razu wygrana", "customer": customer.pk, "status": won.pk},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "win_reason" in response.json()
    with schema_context(company_a.schema_name):
        assert not Deal.objects.filter(name="Od razu wygrana").exists()


def test_bad_input_gets_field_errors(szef, company_a, api_szef):
    response = api_szef.post(
        "/api/v1/deals/",
        {"name": "", "customer": 999999, "value": "-5", "currency": "PL"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert {"name", "customer", "value"} <= set(response.json())
    with schema_context(company_a.schema_name):
        assert not Deal.objects.exists()


def test_patching_the_stage_goes_on_the_timeline(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, stage=stages()[0])
        target = stages()[2]

    response = api_szef.patch(
        f"/api/v1/deals/{deal.pk}/",
        {"stage": target.pk},
        content_type="application/json",
    )

    assert response.status_code == 200
    with schema_context(company_a.schema_name):
        assert TimelineEvent.objects.filter(deal=deal, kind="deal_stage_changed").exists()


def test_patching_to_won_needs_the_reason_and_then_sets_closed_at(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        won, reason = status("won"), win_reason()

    refused = api_szef.patch(f"/api/v1/deals/{deal.pk}/", {"status": won.pk}, content_type="application/json")
    accepted = api_szef.patch(
        f"/api/v1/deals/{deal.pk}/",
        {"status": won.pk, "win_reason": reason.pk},
        content_type="application/json",
    )

    assert refused.status_code == 400
    assert "win_reason" in refused.json()
    assert accepted.status_code == 200
    assert accepted.json()["closed_at"] is not None


def test_delete_through_the_api(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)

    response = api_szef.delete(f"/api/v1/deals/{deal.pk}/")

    assert response.status_code == 204
    with schema_context(company_a.schema_name):
        assert not Deal.objects.filter(pk=deal.pk).exists()


def test_list_filters_open_deals_and_by_stage(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        open_deal = deal_make(owner=szef, stage=stages()[1])
        deal_make(owner=szef, stage=stages()[1], status=status("postponed"))
        deal_make(owner=szef, stage=stages()[0])
        stage_id = stages()[1].pk

    rows = api_szef.get(f"/api/v1/deals/?open=1&stage={stage_id}").json()["results"]
    bad = api_szef.get("/api/v1/deals/?stage=abc")

    assert [row["id"] for row in rows] == [open_deal.pk]
    assert bad.status_code == 400


def test_list_query_count_does_not_grow_with_the_number_of_deals(
    szef, company_a, django_assert_max_num_queries, api_szef
):
    with schema_context(company_a.schema_name):
        deal_make(owner=szef)
    with django_assert_max_num_queries(40) as few:
        api_szef.get("/api/v1/deals/")
    with schema_context(company_a.schema_name):
        customer = customer_make()
        for _i in range(30):
            deal_make(owner=szef, customer=customer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_szef.get("/api/v1/deals/").json()["results"]) == 31


def test_anonymous_api_caller_gets_401(client_a):
    assert client_a.get("/api/v1/deals/").status_code == 401


def test_openapi_schema_documents_deals(client_a, szef):
    client_a.login_as(szef)

    schema = client_a.get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/deals/" in schema["paths"]
    assert "/api/v1/deals/{id}/" in schema["paths"]
    props = schema["components"]["schemas"]["Deal"]["properties"]
    assert set(props) >= CONTRACT_FIELDS
    assert props["value"]["type"] == "string" and props["value"]["format"] == "decimal"
