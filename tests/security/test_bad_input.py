"""Bad input never gets a 500: each class a hostile tester found, checked where it
broke (the fuzz tests in this folder look for the same classes everywhere)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.contacts.models import Customer
from crm.sales.models import Deal
from crm.tasks.models import Task
from tests.crm.sales.helpers import customer_make, deal_make, task_make
from tests.security.objects import rows_fill
from tests.security.openapi import OPERATIONS
from tests.security.urlmap import MARK_ID

DEEP_JSON = "[" * 1000 + "]" * 1000
JSON_OPERATIONS = [
    (path, method)
    for path, method, op in OPERATIONS
    if "application/json" in (op.get("requestBody") or {}).get("content", {})
]


def test_json_nested_1000_levels_to_the_anonymous_token_endpoint_is_a_400_in_the_users_language(client_a):
    client_a.raise_request_exception = False

    polish = client_a.post("/api/v1/auth/token/", DEEP_JSON, content_type="application/json")
    english = client_a.post(
        "/api/v1/auth/token/", DEEP_JSON, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert polish.status_code == 400
    assert polish.json()["detail"] == "Dane JSON są zagnieżdżone zbyt głęboko (najwyżej 32 poziomów)."
    assert english.status_code == 400
    assert english.json()["detail"] == "The JSON data is nested too deeply (at most 32 levels)."


def test_every_json_endpoint_refuses_json_nested_deeper_than_32_levels(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        rows_fill()  # a row with id MARK_ID in every table: detail URLs exist
    api_szef.raise_request_exception = False
    assert len(JSON_OPERATIONS) > 20, "the OpenAPI schema lists the JSON endpoints"
    answers = {}
    for path, method in JSON_OPERATIONS:
        url = path.replace("{id}", str(MARK_ID)).replace("{name}", "closed-sales")
        for body in ("[" * 33 + "]" * 33, '{"a":' * 1000 + "1" + "}" * 1000):
            response = api_szef.generic(method.upper(), url, body, content_type="application/json")
            if response.status_code == 404 and api_szef.get(url).status_code == 404:
                continue  # no such row here (a locked status): the body is never read
            answers[f"{method.upper()} {path}"] = response.status_code
    assert set(answers.values()) == {400}, {k: v for k, v in answers.items() if v != 400}


@pytest.mark.parametrize("edge", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/tasks/calendar/", "date"),
        ("/tasks/", "day"),
        ("/tasks/new/", "date"),
        ("/reports/", "date_from"),
        ("/reports/", "date_to"),
        ("/reports/closed-sales/csv/", "date_to"),
        ("/api/v1/reports/open-sales/", "date_to"),
        ("/settings/activity/", "date_from"),
        ("/settings/activity/", "date_to"),
        ("/api/v1/settings/activity/", "date_to"),
    ],
)
def test_a_date_at_the_edge_of_the_calendar_in_a_filter_is_refused_with_a_message(
    client_a, company_a, szef, url, param, edge
):
    client_a.raise_request_exception = False
    client_a.login_as(szef)

    response = client_a.get(url, {param: edge})

    assert response.status_code == 400
    assert "Podaj datę z lat 1900–2200." in response.content.decode()


@pytest.mark.parametrize("edge", ["0001-01-01", "9999-12-31"])
def test_the_activity_log_csv_refuses_a_date_at_the_edge_of_the_calendar(client_a, szef, edge):
    client_a.raise_request_exception = False
    response = client_a.login_as(szef).get("/settings/activity/export.csv", {"date_to": edge})
    assert response.status_code == 400


@pytest.mark.parametrize("edge", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_dragging_a_task_to_a_day_outside_1900_to_2200_is_refused_and_keeps_its_day(client_a, company_a, szef, edge):
    due = timezone.now() + timedelta(days=1)
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, due_at=due)
    client_a.raise_request_exception = False

    response = client_a.login_as(szef).post(f"/tasks/{task.pk}/reschedule/", {"date": edge})

    assert response.status_code == 400
    assert response.json()["error"] == "Podaj datę z lat 1900–2200."
    with schema_context(company_a.schema_name):
        assert Task.objects.get(pk=task.pk).due_at == due


@pytest.mark.parametrize("edge", ["0001-01-01T00:00:00", "9999-12-31T23:59:59.999999+14:00", "0001-01-01"])
def test_a_task_date_at_the_edge_of_the_calendar_is_refused_by_the_api_and_the_form(
    client_a, company_a, szef, edge, api_szef
):
    due = timezone.now() + timedelta(days=1)
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, due_at=due)
    client_a.raise_request_exception = False
    api_szef.raise_request_exception = False

    api = api_szef.patch(f"/api/v1/tasks/{task.pk}/", {"starts_at": edge}, content_type="application/json")
    form = client_a.login_as(szef).post(
        f"/tasks/{task.pk}/edit/",
        {"title": task.title, "due_at": edge, "reminder_minutes": "30", "assignee": szef.pk, "visibility": "everyone"},
    )

    assert api.status_code == 400 and api.json()["starts_at"] == ["Podaj datę z lat 1900–2200."]
    assert form.status_code == 200 and "Podaj datę z lat 1900–2200." in form.content.decode()
    assert client_a.get(f"/tasks/{task.pk}/").status_code == 200
    with schema_context(company_a.schema_name):
        fresh = Task.objects.get(pk=task.pk)
        assert (fresh.starts_at, fresh.due_at) == (None, due)


def test_deal_and_customer_dates_at_the_edge_of_the_calendar_are_refused_by_the_api(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        customer = customer_make(owner=szef)
        deal = deal_make(customer=customer, owner=szef)
    api_szef.raise_request_exception = False

    deal_answer = api_szef.patch(
        f"/api/v1/deals/{deal.pk}/", {"expected_close": "9999-12-31"}, content_type="application/json"
    )
    customer_answer = api_szef.patch(
        f"/api/v1/customers/{customer.pk}/", {"last_contact_at": "0001-01-01"}, content_type="application/json"
    )

    assert deal_answer.status_code == 400 and deal_answer.json()["expected_close"] == ["Podaj datę z lat 1900–2200."]
    assert customer_answer.status_code == 400
    with schema_context(company_a.schema_name):
        assert Deal.objects.get(pk=deal.pk).expected_close is None
        assert Customer.objects.get(pk=customer.pk).last_contact_at is None


@pytest.mark.parametrize("url", ["/api/v1/notes/?deal=", "/api/v1/files/?task=", "/api/v1/contacts/?customer="])
def test_an_id_filter_of_superscript_digits_is_a_400_and_one_of_5000_digits_finds_nothing(
    company_a, szef, url, api_szef
):
    api_szef.raise_request_exception = False

    superscript = api_szef.get(url + "²")
    endless = api_szef.get(url + "9" * 5000)

    assert superscript.status_code == 400 and "Podaj liczbę całkowitą." in superscript.content.decode()
    assert endless.status_code == 200 and endless.json()["count"] == 0


def test_a_tax_id_of_superscript_digits_is_a_form_error_not_a_500(client_a, szef):
    client_a.raise_request_exception = False
    response = client_a.login_as(szef).post("/customers/new/", {"kind": "company", "name": "Firma", "tax_id": "²" * 10})
    assert response.status_code == 400
    assert "Podaj NIP (10 cyfr) albo zagraniczny numer VAT" in response.content.decode()
