"""/api/v1/tasks/: the contract fields, the same rules as the pages, the schema."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from crm.tasks.models import Task
from tests.crm.sales.helpers import customer_make, deal_make, task_category, task_make

CONTRACT_FIELDS = {
    "id",
    "title",
    "category",
    "customer",
    "deal",
    "assignee",
    "starts_at",
    "due_at",
    "visibility",
    "done",
}


def test_list_gives_the_contract_fields(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        task = task_make(assignee=szef, deal=deal, customer=deal.customer, category=task_category())

    response = api_szef.get("/api/v1/tasks/")

    row = response.json()["results"][0]
    assert set(row) >= CONTRACT_FIELDS
    assert (row["id"], row["deal"], row["customer"], row["assignee"]) == (task.pk, deal.pk, deal.customer_id, szef.pk)
    assert row["visibility"] == "everyone" and row["done"] is False


def test_create_fills_the_customer_from_the_deal_and_assigns_the_caller(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)

    response = api_szef.post(
        "/api/v1/tasks/",
        {"title": "Przygotować umowę", "deal": deal.pk, "due_at": "2030-01-10T10:00:00+01:00"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["customer"] == deal.customer_id
    assert body["assignee"] == szef.pk
    assert body["created_by"] == szef.pk


def test_create_with_due_before_start_or_a_deal_of_another_customer_is_a_400(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        other = customer_make()

    times = api_szef.post(
        "/api/v1/tasks/",
        {"title": "Źle", "starts_at": "2030-01-10T12:00:00Z", "due_at": "2030-01-10T10:00:00Z"},
        content_type="application/json",
    )
    wrong_deal = api_szef.post(
        "/api/v1/tasks/",
        {"title": "Źle", "customer": other.pk, "deal": deal.pk},
        content_type="application/json",
    )
    blank = api_szef.post("/api/v1/tasks/", {"title": ""}, content_type="application/json")

    assert times.status_code == 400 and "due_at" in times.json()
    assert wrong_deal.status_code == 400 and "deal" in wrong_deal.json()
    assert blank.status_code == 400 and "title" in blank.json()
    with schema_context(company_a.schema_name):
        assert not Task.objects.exists()


def test_marking_done_through_the_api_sets_completion_time(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef)

    response = api_szef.patch(f"/api/v1/tasks/{task.pk}/", {"done": True}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["completed_at"] is not None


def test_delete_through_the_api(szef, company_a, api_szef):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef)

    assert api_szef.delete(f"/api/v1/tasks/{task.pk}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert not Task.objects.filter(pk=task.pk).exists()


def test_list_views_and_filters(szef, pracownik, company_a, api_szef):
    with schema_context(company_a.schema_name):
        overdue = task_make(assignee=szef, due_at=timezone.now() - timedelta(days=1))
        theirs = task_make(assignee=pracownik, due_at=timezone.now() + timedelta(days=30))

    def ids(query):
        return {row["id"] for row in api_szef.get(f"/api/v1/tasks/{query}").json()["results"]}

    assert ids("?view=overdue") == {overdue.pk}
    assert ids(f"?assignee={pracownik.pk}") == {theirs.pk}
    assert ids("") == {overdue.pk, theirs.pk}
    assert api_szef.get("/api/v1/tasks/?view=someday").status_code == 400


def test_list_query_count_does_not_grow_with_the_number_of_tasks(
    szef, company_a, django_assert_max_num_queries, api_szef
):
    with schema_context(company_a.schema_name):
        task_make(assignee=szef)
    with django_assert_max_num_queries(40) as few:
        api_szef.get("/api/v1/tasks/")
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        for _i in range(30):
            task_make(assignee=szef, deal=deal, customer=deal.customer, category=task_category())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_szef.get("/api/v1/tasks/").json()["results"]) == 31


def test_openapi_schema_documents_tasks(client_a, szef):
    client_a.login_as(szef)

    schema = client_a.get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/tasks/" in schema["paths"] and "/api/v1/tasks/{id}/" in schema["paths"]
    assert set(schema["components"]["schemas"]["Task"]["properties"]) >= CONTRACT_FIELDS
