"""Who sees which task: private tasks stay with their assignee and creator; outsiders get 404 everywhere."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.tasks.models import Task
from crm.tasks.selectors import tasks_visible_to
from tests.crm.sales.helpers import deal_make, task_make

PAGES = [
    ("get", "/tasks/{pk}/"),
    ("get", "/tasks/{pk}/edit/"),
    ("post", "/tasks/{pk}/edit/"),
    ("get", "/tasks/{pk}/delete/"),
    ("post", "/tasks/{pk}/delete/"),
    ("post", "/tasks/{pk}/done/"),
    ("post", "/tasks/{pk}/board-move/"),
    ("post", "/tasks/{pk}/reschedule/"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_outsider_gets_404_for_every_task_page(client_b, outsider, szef, company_a, method, url):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, due_at=timezone.now())
    client_b.login_as(outsider)

    data = {"title": "x", "state": "done", "date": "2030-01-01", "done": "1"} if method == "post" else None
    response = getattr(client_b, method)(url.format(pk=task.pk), data)

    assert response.status_code == 404
    with schema_context(company_a.schema_name):
        assert not Task.objects.get(pk=task.pk).done


@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_outsider_gets_404_from_the_task_api(outsider, szef, company_a, company_b, method, api_outsider):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef)

    response = getattr(api_outsider, method)(
        f"/api/v1/tasks/{task.pk}/", {"title": "x"}, content_type="application/json"
    )

    assert response.status_code == 404


def test_outsider_lists_board_and_calendar_show_nothing_of_another_company(
    client_b, outsider, szef, company_a, company_b, api_outsider
):
    with schema_context(company_a.schema_name):
        task_make(assignee=szef, title="Sekretne zadanie Alfy", due_at=timezone.now())
    client_b.login_as(outsider)

    for url in ("/tasks/?view=all", "/tasks/board/", "/tasks/board/?by=state", "/tasks/calendar/"):
        assert "Sekretne zadanie Alfy" not in client_b.get(url).content.decode()
    assert api_outsider.get("/api/v1/tasks/").json()["results"] == []


def test_outsider_cannot_link_a_task_to_another_companys_deal(outsider, szef, company_a, company_b, api_outsider):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)

    response = api_outsider.post(
        "/api/v1/tasks/",
        {"title": "Podpięcie", "deal": deal.pk},
        content_type="application/json",
    )

    assert response.status_code == 400 and "deal" in response.json()


def test_private_task_is_seen_only_by_its_assignee_and_creator(client_a, szef, pracownik, company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        private = task_make(title="Prywatne szefa", assignee=szef, created_by=szef, visibility="owner")
        assigned = task_make(title="Prywatne dla pracownika", assignee=pracownik, created_by=szef, visibility="owner")
    client_a.login_as(pracownik)

    assert client_a.get(f"/tasks/{private.pk}/").status_code == 404
    assert client_a.get(f"/tasks/{assigned.pk}/").status_code == 200
    assert "Prywatne szefa" not in client_a.get("/tasks/?view=all").content.decode()
    ids = [r["id"] for r in api_pracownik.get("/api/v1/tasks/").json()["results"]]
    assert ids == [assigned.pk]


def test_szef_does_not_see_a_colleagues_private_task_either(szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        task_make(assignee=pracownik, created_by=pracownik, visibility="owner")
        assert tasks_visible_to(szef).count() == 0
        assert tasks_visible_to(pracownik).count() == 1


def test_restricted_pracownik_sees_own_tasks_plus_those_shared_with_everyone(
    client_a, szef, pracownik, company_a, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        shared = task_make(title="Wspólne", assignee=szef, created_by=szef, visibility="everyone")
        mine = task_make(title="Moje", assignee=pracownik, created_by=szef, visibility="owner")
        created = task_make(title="Zlecone przeze mnie", assignee=szef, created_by=pracownik, visibility="owner")
        hidden = task_make(title="Prywatne szefa", assignee=szef, created_by=szef, visibility="owner")

        assert set(tasks_visible_to(pracownik)) == {shared, mine, created}
    client_a.login_as(pracownik)
    assert client_a.get(f"/tasks/{hidden.pk}/").status_code == 404
    assert client_a.post(f"/tasks/{hidden.pk}/done/", {"done": "1"}).status_code == 404
