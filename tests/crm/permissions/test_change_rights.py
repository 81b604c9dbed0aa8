"""Who may change and delete whose tasks and deals (issue 13): Szef and Kierownik
anyone's; a Pracownik only what he created, owns or is assigned, restricted or not.
The API answers 403, the pages hide the buttons and answer 403 too; an outsider gets 404."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.sales.models import Deal
from crm.tasks.models import Task
from tests.crm.sales.helpers import customer_make, deal_make, stages, task_make
from tests.support.api_tokens import api_headers


@pytest.fixture(params=[False, True], ids=["unrestricted", "restricted"])
def restriction(request, company_a, company_settings_a):
    company_settings_a(restrict_pracownik_to_own=request.param)
    return request.param


@pytest.fixture
def szefs_task(company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        return task_make(
            title="Zadanie szefa", assignee=szef, created_by=szef, visibility="everyone", due_at=timezone.now()
        )


@pytest.fixture
def szefs_deal(company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        return deal_make(owner=szef, name="Szansa szefa", customer=customer_make(owner=szef))


def test_pracownik_gets_403_changing_or_deleting_the_szefs_task_through_the_api(
    client_a, company_a, pracownik, szefs_task, company_settings_a
):
    company_settings_a(restrict_pracownik_to_own=False)
    headers = api_headers(company_a, pracownik)
    url = f"/api/v1/tasks/{szefs_task.pk}/"

    assert client_a.get(url, **headers).status_code == 200  # shared with everyone: he sees it
    patched = client_a.patch(url, {"title": "Przejęte"}, content_type="application/json", **headers)
    deleted = client_a.delete(url, **headers)

    assert patched.status_code == 403 and "detail" in patched.json()
    assert deleted.status_code == 403
    with schema_context(company_a.schema_name):
        assert Task.objects.get(pk=szefs_task.pk).title == "Zadanie szefa"


def test_pracownik_changes_and_deletes_tasks_he_created_or_is_assigned(
    client_a, company_a, szef, pracownik, restriction
):
    with schema_context(company_a.schema_name):
        assigned = task_make(title="Dla mnie", assignee=pracownik, created_by=szef)
        created = task_make(title="Ode mnie", assignee=szef, created_by=pracownik)
    headers = api_headers(company_a, pracownik)

    patched = client_a.patch(
        f"/api/v1/tasks/{assigned.pk}/", {"title": "Zrobię"}, content_type="application/json", **headers
    )
    deleted = client_a.delete(f"/api/v1/tasks/{created.pk}/", **headers)

    assert patched.status_code == 200 and patched.json()["title"] == "Zrobię"
    assert deleted.status_code == 204


@pytest.mark.parametrize("who", ["szef", "kierownik"])
def test_szef_and_kierownik_change_and_delete_a_pracowniks_task(client_a, company_a, pracownik, szef, kierownik, who):
    user = {"szef": szef, "kierownik": kierownik}[who]
    with schema_context(company_a.schema_name):
        task = task_make(title="Pracownika", assignee=pracownik, created_by=pracownik)
    headers = api_headers(company_a, user)

    patched = client_a.patch(f"/api/v1/tasks/{task.pk}/", {"done": True}, content_type="application/json", **headers)
    deleted = client_a.delete(f"/api/v1/tasks/{task.pk}/", **headers)

    assert patched.status_code == 200 and deleted.status_code == 204


def test_task_pages_hide_change_buttons_and_refuse_with_403_for_a_pracownik(client_a, company_a, pracownik, szefs_task):
    client_a.login_as(pracownik)
    pk = szefs_task.pk

    card = client_a.get(f"/tasks/{pk}/").content.decode()
    listing = client_a.get("/tasks/?view=all").content.decode()

    assert "Zadanie szefa" in card and f"/tasks/{pk}/edit/" not in card and f"/tasks/{pk}/delete/" not in card
    assert "Zadanie szefa" in listing and f"/tasks/{pk}/done/" not in listing
    assert client_a.get(f"/tasks/{pk}/edit/").status_code == 403
    assert client_a.post(f"/tasks/{pk}/edit/", {"title": "x", "visibility": "everyone"}).status_code == 403
    assert client_a.get(f"/tasks/{pk}/delete/").status_code == 403
    assert client_a.post(f"/tasks/{pk}/delete/").status_code == 403
    assert client_a.post(f"/tasks/{pk}/done/", {"done": "1"}).status_code == 403
    assert client_a.post(f"/tasks/{pk}/board-move/", {"state": "done"}).status_code == 403
    assert client_a.post(f"/tasks/{pk}/reschedule/", {"date": "2030-01-01"}).status_code == 403
    with schema_context(company_a.schema_name):
        task = Task.objects.get(pk=pk)
        assert (task.done, task.title) == (False, "Zadanie szefa")


def test_pracownik_gets_403_changing_or_deleting_the_szefs_deal_through_the_api(
    client_a, company_a, pracownik, szefs_deal
):
    headers = api_headers(company_a, pracownik)
    url = f"/api/v1/deals/{szefs_deal.pk}/"

    assert client_a.get(url, **headers).status_code == 200
    patched = client_a.patch(url, {"name": "Moja"}, content_type="application/json", **headers)
    deleted = client_a.delete(url, **headers)

    assert patched.status_code == 403 and deleted.status_code == 403
    with schema_context(company_a.schema_name):
        assert Deal.objects.get(pk=szefs_deal.pk).name == "Szansa szefa"


def test_deal_pages_hide_change_buttons_and_refuse_with_403_for_a_pracownik(client_a, company_a, pracownik, szefs_deal):
    client_a.login_as(pracownik)
    pk = szefs_deal.pk
    with schema_context(company_a.schema_name):
        next_stage = stages()[1].pk

    card = client_a.get(f"/deals/{pk}/").content.decode()

    assert "Szansa szefa" in card and f"/deals/{pk}/edit/" not in card and f"/deals/{pk}/delete/" not in card
    assert 'data-testid="deal-status-form"' not in card
    assert client_a.get(f"/deals/{pk}/edit/").status_code == 403
    assert client_a.post(f"/deals/{pk}/delete/").status_code == 403
    assert client_a.post(f"/deals/{pk}/move/", {"stage": next_stage}).status_code == 403
    with schema_context(company_a.schema_name):
        assert Deal.objects.get(pk=pk).stage_id != next_stage


def test_pracownik_changes_and_deletes_his_own_deal(client_a, company_a, pracownik, restriction):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=pracownik, customer=customer_make(owner=pracownik))
    headers = api_headers(company_a, pracownik)

    patched = client_a.patch(f"/api/v1/deals/{deal.pk}/", {"name": "Nowa"}, content_type="application/json", **headers)
    deleted = client_a.delete(f"/api/v1/deals/{deal.pk}/", **headers)

    assert patched.status_code == 200 and deleted.status_code == 204


def test_kierownik_changes_and_deletes_a_pracowniks_deal(client_a, company_a, pracownik, kierownik):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=pracownik, customer=customer_make(owner=pracownik))
    headers = api_headers(company_a, kierownik)

    patched = client_a.patch(f"/api/v1/deals/{deal.pk}/", {"name": "Nowa"}, content_type="application/json", **headers)
    deleted = client_a.delete(f"/api/v1/deals/{deal.pk}/", **headers)

    assert patched.status_code == 200 and deleted.status_code == 204


def test_outsider_still_gets_404_not_403_for_a_task_and_a_deal(client_b, company_a, outsider, szefs_task, szefs_deal):
    client_b.login_as(outsider)

    assert client_b.get(f"/tasks/{szefs_task.pk}/edit/").status_code == 404
    assert client_b.post(f"/deals/{szefs_deal.pk}/delete/").status_code == 404


def test_drag_and_drop_refusals_answer_json_the_board_can_show(client_a, company_a, pracownik, szefs_task, szefs_deal):
    client_a.login_as(pracownik)
    with schema_context(company_a.schema_name):
        next_stage = stages()[1].pk

    for response in (
        client_a.post(f"/deals/{szefs_deal.pk}/move/", {"stage": next_stage}),
        client_a.post(f"/tasks/{szefs_task.pk}/board-move/", {"state": "done"}),
        client_a.post(f"/tasks/{szefs_task.pk}/reschedule/", {"date": "2030-01-01"}),
    ):
        assert response.status_code == 403
        assert response.json()["ok"] is False and "Szef" in response.json()["error"]
