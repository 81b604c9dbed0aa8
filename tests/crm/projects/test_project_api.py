"""/api/v1/projects/ and /api/v1/milestones/: the fields of CONTRACT.md, validation in
Polish with nothing saved, progress figures, milestones in order and tasks that join a
project through /api/v1/tasks/ (a milestone of the same project only)."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.projects.models import Milestone, Project
from crm.tasks.models import Task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.projects.factories import milestone_make, project_make, task_in

PROJECT_FIELDS = {
    "id",
    "name",
    "customer",
    "status",
    "billing_type",
    "rate",
    "budget_hours",
    "start_date",
    "deadline",
    "members",
    "tasks_total",
    "tasks_done",
    "progress",
}


def _post(client, body, url="/api/v1/projects/"):
    return client.post(url, body, content_type="application/json")


def test_creating_a_project_gives_the_contract_fields(company_a, szef, pracownik, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()

    response = _post(
        api_szef,
        {
            "name": "Nowa strona WWW",
            "customer": customer.pk,
            "status": "in_progress",
            "billing_type": "fixed",
            "rate": "15000.00",
            "budget_hours": "80",
            "start_date": "2027-02-01",
            "deadline": "2027-04-30",
            "members": [pracownik.pk],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= PROJECT_FIELDS
    assert (body["status"], body["billing_type"], body["rate"], body["budget_hours"]) == (
        "in_progress",
        "fixed",
        "15000.00",
        "80.00",
    )
    assert body["members"] == [pracownik.pk]
    assert (body["tasks_total"], body["tasks_done"], body["progress"]) == (0, 0, 0)
    with schema_context(company_a.schema_name):
        project = Project.objects.get(pk=body["id"])
        assert project.owner == szef
        assert ActivityEntry.objects.filter(code="project.created", object_id=str(project.pk)).exists()


def test_bad_input_is_a_400_with_polish_messages_and_nothing_is_saved(company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()

    response = _post(
        api_szef,
        {
            "name": "   ",
            "customer": customer.pk,
            "status": "done",
            "billing_type": "hourly",
            "rate": "-1",
            "budget_hours": "-5",
            "start_date": "2027-05-10",
            "deadline": "2027-05-01",
            "members": [999999],
        },
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"name", "status", "billing_type", "rate", "budget_hours", "members"}
    assert errors["rate"] == ["Stawka nie może być ujemna."]
    assert errors["budget_hours"] == ["Budżet godzin nie może być ujemny."]
    with schema_context(company_a.schema_name):
        assert not Project.objects.exists()


def test_a_deadline_before_the_start_is_refused(company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()

    response = _post(
        api_szef, {"name": "Projekt", "customer": customer.pk, "start_date": "2027-05-10", "deadline": "2027-05-01"}
    )

    assert response.status_code == 400
    assert response.json()["deadline"] == ["Termin nie może być wcześniejszy niż data rozpoczęcia."]
    with schema_context(company_a.schema_name):
        assert not Project.objects.exists()


def test_list_filters_and_bad_filters(company_a, szef, pracownik, api_szef):
    with schema_context(company_a.schema_name):
        project_make(actor=szef, name="Żaglówka", status="in_progress", members=[pracownik])
        project_make(actor=szef, name="Arka", status="finished")

    names = [p["name"] for p in api_szef.get("/api/v1/projects/").json()["results"]]
    running = api_szef.get("/api/v1/projects/", {"status": "in_progress"}).json()["results"]
    by_member = api_szef.get("/api/v1/projects/", {"member": pracownik.pk}).json()["results"]
    searched = api_szef.get("/api/v1/projects/", {"search": "zaglowka"}).json()["results"]

    assert names == ["Arka", "Żaglówka"]  # Polish order
    assert [p["name"] for p in running] == ["Żaglówka"]
    assert [p["name"] for p in by_member] == ["Żaglówka"]
    assert [p["name"] for p in searched] == ["Żaglówka"]
    assert api_szef.get("/api/v1/projects/", {"status": "x"}).status_code == 400
    assert api_szef.get("/api/v1/projects/", {"customer": "abc"}).status_code == 400


def test_progress_counts_done_tasks(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef)
        task_in(project, "Pierwsze", done=True)
        task_in(project, "Drugie")
        task_in(project, "Trzecie")
        task_in(project, "Czwarte", done=True)

    body = api_szef.get(f"/api/v1/projects/{project.pk}/").json()

    assert (body["tasks_total"], body["tasks_done"], body["progress"]) == (4, 2, 50)


def test_updating_a_project_and_its_members(company_a, szef, pracownik, kierownik, api_szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef, members=[pracownik])

    response = api_szef.patch(
        f"/api/v1/projects/{project.pk}/",
        {"status": "on_hold", "members": [kierownik.pk], "rate": "200.50"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["members"] == [kierownik.pk]
    with schema_context(company_a.schema_name):
        project.refresh_from_db()
        assert (project.status, project.rate) == ("on_hold", Decimal("200.50"))
        assert ActivityEntry.objects.filter(code="project.updated", object_id=str(project.pk)).exists()


def test_milestones_in_order_through_the_api(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef)

    first = _post(api_szef, {"project": project.pk, "name": "Analiza", "due_date": "2027-02-01"}, "/api/v1/milestones/")
    second = _post(api_szef, {"project": project.pk, "name": "Wdrożenie"}, "/api/v1/milestones/")
    assert first.status_code == 201, first.content
    assert (first.json()["position"], second.json()["position"]) == (0, 1)

    reordered = _post(
        api_szef,
        {"ids": [second.json()["id"], first.json()["id"]]},
        f"/api/v1/projects/{project.pk}/milestones/reorder/",
    )
    listed = api_szef.get(f"/api/v1/projects/{project.pk}/milestones/").json()
    filtered = api_szef.get("/api/v1/milestones/", {"project": project.pk}).json()["results"]

    assert reordered.status_code == 200
    assert [m["name"] for m in listed] == ["Wdrożenie", "Analiza"]
    assert [m["name"] for m in filtered] == ["Wdrożenie", "Analiza"]
    assert listed[1]["due_date"] == "2027-02-01"


def test_a_bad_milestone_is_a_400(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef)
        milestone = milestone_make(project)

    blank = _post(api_szef, {"project": project.pk, "name": " "}, "/api/v1/milestones/")
    bad_date = _post(api_szef, {"project": project.pk, "name": "X", "due_date": "31.02.2027"}, "/api/v1/milestones/")
    bad_order = _post(api_szef, {"ids": [milestone.pk, 999]}, f"/api/v1/projects/{project.pk}/milestones/reorder/")

    assert blank.status_code == 400 and "name" in blank.json()
    assert bad_date.status_code == 400 and "due_date" in bad_date.json()
    assert bad_order.status_code == 400
    assert "dokładnie raz" in str(bad_order.json())
    with schema_context(company_a.schema_name):
        assert Milestone.objects.count() == 1


def test_a_task_joins_a_project_and_its_milestone(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef)
        milestone = milestone_make(project)

    response = _post(
        api_szef, {"title": "Spisać wymagania", "milestone": milestone.pk, "hourly_rate": "120"}, "/api/v1/tasks/"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["project"], body["milestone"], body["hourly_rate"]) == (project.pk, milestone.pk, "120.00")
    assert body["customer"] == project.customer_id
    listed = api_szef.get("/api/v1/tasks/", {"project": project.pk, "view": "all"}).json()["results"]
    assert [t["title"] for t in listed] == ["Spisać wymagania"]


def test_a_milestone_of_another_project_is_refused(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef, name="Pierwszy")
        other = project_make(actor=szef, name="Drugi")
        foreign = milestone_make(other)

    response = _post(api_szef, {"title": "Zadanie", "project": project.pk, "milestone": foreign.pk}, "/api/v1/tasks/")

    assert response.status_code == 400
    assert response.json()["milestone"] == ["Ten kamień milowy należy do innego projektu."]
    with schema_context(company_a.schema_name):
        assert not Task.objects.filter(title="Zadanie").exists()


def test_deleting_a_project_through_the_api_puts_it_in_the_trash(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef)
        task_in(project)

    assert api_szef.delete(f"/api/v1/projects/{project.pk}/").status_code == 204

    with schema_context(company_a.schema_name):
        assert not Project.objects.exists() and not Task.objects.exists()
