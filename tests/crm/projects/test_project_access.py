"""Who sees and changes which project: Szef and Kierownik see every project; a Pracownik
only those he owns or is a member of (a restricted one only where he sees the customer
too); Szef, Kierownik and the owner change it, members add tasks; another company's
project is a 404 on every page and API address."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.projects.models import Project
from crm.tasks.models import Task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.projects.factories import milestone_make, project_make


@pytest.fixture
def projects(company_a, szef, pracownik):
    """A project with the Pracownik as member, and one without him."""
    with schema_context(company_a.schema_name):
        mine = project_make(actor=szef, name="Projekt z Pracownikiem", members=[pracownik])
        other = project_make(actor=szef, name="Projekt bez Pracownika")
        milestone_make(mine, name="Etap pierwszy")
        milestone_make(other, name="Etap obcy")
    return mine, other


def _page_urls(project: Project, milestone_pk: int) -> list[str]:
    pk = project.pk
    return [
        f"/projects/{pk}/",
        f"/projects/{pk}/edit/",
        f"/projects/{pk}/delete/",
        f"/projects/{pk}/milestones/new/",
        f"/projects/{pk}/milestones/{milestone_pk}/edit/",
        f"/projects/{pk}/milestones/{milestone_pk}/delete/",
    ]


def test_kierownik_and_szef_see_every_project(client_a, szef, kierownik, projects):
    for person in (szef, kierownik):
        html = client_a.login_as(person).get("/projects/").content.decode()
        assert "Projekt z Pracownikiem" in html and "Projekt bez Pracownika" in html


def test_a_pracownik_sees_only_his_projects(client_a, api_pracownik, pracownik, projects):
    mine, other = projects
    client_a.login_as(pracownik)

    html = client_a.get("/projects/").content.decode()
    api_names = [p["name"] for p in api_pracownik.get("/api/v1/projects/").json()["results"]]

    assert "Projekt z Pracownikiem" in html and "Projekt bez Pracownika" not in html
    assert api_names == ["Projekt z Pracownikiem"]
    assert client_a.get(f"/projects/{mine.pk}/").status_code == 200
    assert client_a.get(f"/projects/{other.pk}/").status_code == 404
    assert api_pracownik.get(f"/api/v1/projects/{other.pk}/").status_code == 404
    milestones = api_pracownik.get("/api/v1/milestones/").json()["results"]
    assert [m["name"] for m in milestones] == ["Etap pierwszy"]


def test_the_owner_sees_his_project_without_being_a_member(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        project_make(actor=pracownik, name="Mój własny projekt")

    assert "Mój własny projekt" in client_a.login_as(pracownik).get("/projects/").content.decode()


def test_a_restricted_pracownik_sees_a_project_only_with_its_customer(client_a, company_a, szef, restricted_pracownik):
    with schema_context(company_a.schema_name):
        own = CustomerFactory(owner=restricted_pracownik)
        hidden = CustomerFactory(owner=szef)
        visible = project_make(actor=szef, name="Klient własny", customer=own, members=[restricted_pracownik])
        blocked = project_make(actor=szef, name="Klient cudzy", customer=hidden, members=[restricted_pracownik])
    client_a.login_as(restricted_pracownik)

    html = client_a.get("/projects/").content.decode()

    assert "Klient własny" in html and "Klient cudzy" not in html
    assert client_a.get(f"/projects/{visible.pk}/").status_code == 200
    assert client_a.get(f"/projects/{blocked.pk}/").status_code == 404


def test_a_member_pracownik_cannot_change_the_project_but_adds_tasks(client_a, company_a, pracownik, projects):
    mine, _other = projects
    with schema_context(company_a.schema_name):
        milestone = mine.milestones.get()
    client_a.login_as(pracownik)

    assert client_a.get(f"/projects/{mine.pk}/edit/").status_code == 403
    assert client_a.post(f"/projects/{mine.pk}/delete/").status_code == 403
    assert client_a.post(f"/projects/{mine.pk}/milestones/new/", {"name": "X"}).status_code == 403
    added = client_a.post(f"/projects/{mine.pk}/tasks/new/", {"title": "Zadanie członka", "milestone": milestone.pk})

    assert added.status_code == 302
    with schema_context(company_a.schema_name):
        task = Task.objects.get(title="Zadanie członka")
        assert (task.project_id, task.milestone_id, task.assignee_id) == (mine.pk, milestone.pk, pracownik.pk)
        assert Project.objects.filter(pk=mine.pk).exists()


def test_a_pracownik_cannot_change_a_project_through_the_api(api_pracownik, projects):
    mine, _other = projects

    response = api_pracownik.patch(f"/api/v1/projects/{mine.pk}/", {"name": "Zmiana"}, content_type="application/json")

    assert response.status_code == 403
    assert api_pracownik.delete(f"/api/v1/projects/{mine.pk}/").status_code == 403


def test_the_owner_pracownik_changes_his_project(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        project = project_make(actor=pracownik, name="Mój projekt")
    client_a.login_as(pracownik)

    assert client_a.get(f"/projects/{project.pk}/edit/").status_code == 200


def test_a_task_cannot_be_put_in_a_project_the_person_does_not_see(api_pracownik, projects):
    _mine, other = projects

    response = api_pracownik.post(
        "/api/v1/tasks/", {"title": "Wciskam się", "project": other.pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "project" in response.json()


def test_kierownik_changes_any_project(api_kierownik, projects):
    _mine, other = projects

    response = api_kierownik.patch(
        f"/api/v1/projects/{other.pk}/", {"status": "finished"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["status"] == "finished"


def test_every_project_address_is_a_404_for_another_company(client_b, outsider, api_outsider, company_a, projects):
    mine, _other = projects
    with schema_context(company_a.schema_name):
        milestone = mine.milestones.get()
    client_b.login_as(outsider)

    for url in _page_urls(mine, milestone.pk):
        assert client_b.get(url).status_code == 404, url
        assert client_b.post(url, {"name": "x"}).status_code in (404, 405), url
    assert client_b.post(f"/projects/{mine.pk}/tasks/new/", {"title": "x"}).status_code == 404
    assert client_b.post(f"/projects/{mine.pk}/milestones/{milestone.pk}/move/", {"direction": "up"}).status_code == 404
    assert client_b.get(f"/projects/new/?customer={mine.customer_id}").status_code == 404
    assert "Projekt z Pracownikiem" not in client_b.get("/projects/").content.decode()
    assert api_outsider.get(f"/api/v1/projects/{mine.pk}/").status_code == 404
    assert api_outsider.get(f"/api/v1/projects/{mine.pk}/milestones/").status_code == 404
    assert api_outsider.get(f"/api/v1/milestones/{milestone.pk}/").status_code == 404
    assert (
        api_outsider.patch(f"/api/v1/projects/{mine.pk}/", {"name": "x"}, content_type="application/json").status_code
        == 404
    )
    assert api_outsider.get("/api/v1/projects/").json()["results"] == []
    with schema_context(company_a.schema_name):
        assert Project.objects.get(pk=mine.pk).name == "Projekt z Pracownikiem"


def test_anonymous_visitors_go_to_the_login_page(client_a, projects):
    mine, _other = projects

    assert client_a.get("/projects/").status_code == 302
    assert client_a.get(f"/projects/{mine.pk}/").status_code == 302
