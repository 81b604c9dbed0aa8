"""The timer through /api/v1/time-entries/start/, stop/ and running/: the state is on the
server, so a second session of the same person sees the timer and stops it; one timer
per person (starting another stops the first)."""

from __future__ import annotations

from crm.timetracking.models import TimeEntry
from tests.crm.timetracking.factories import project_make, task_make
from tests.support.clients import TenantClient


def _start(client, body):
    return client.post("/api/v1/time-entries/start/", body, content_type="application/json")


def test_a_timer_started_in_one_session_is_seen_and_stopped_in_another(company_a, in_a, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
        task = task_make(project)
    laptop = TenantClient(company_a).login_as(pracownik)
    phone = TenantClient(company_a).login_as(pracownik)

    started = _start(laptop, {"project": project.pk, "task": task.pk})
    assert started.status_code == 201, started.content
    assert started.json()["ended_at"] is None and started.json()["task_title"] == "Projekt graficzny"

    seen = phone.get("/api/v1/time-entries/running/")
    assert seen.status_code == 200
    assert (seen.json()["id"], seen.json()["project"], seen.json()["task"]) == (
        started.json()["id"],
        project.pk,
        task.pk,
    )

    stopped = phone.post("/api/v1/time-entries/stop/")
    assert stopped.status_code == 200, stopped.content
    assert stopped.json()["ended_at"] is not None

    assert laptop.get("/api/v1/time-entries/running/").json() is None
    again = laptop.post("/api/v1/time-entries/stop/")
    assert again.status_code == 400
    assert "licznik" in str(again.json()["detail"])


def test_starting_a_second_timer_stops_the_running_one(in_a, api_pracownik, pracownik):
    with in_a():
        first = project_make(name="Pierwszy", members=[pracownik])
        second = project_make(name="Drugi", members=[pracownik])

    one = _start(api_pracownik, {"project": first.pk}).json()
    two = _start(api_pracownik, {"project": second.pk}).json()

    with in_a():
        entries = {e.pk: e for e in TimeEntry.objects.filter(user=pracownik)}
    assert entries[one["id"]].ended_at is not None
    assert entries[two["id"]].ended_at is None
    assert api_pracownik.get("/api/v1/time-entries/running/").json()["project"] == second.pk


def test_the_timer_page_forms_start_and_stop_and_come_back(company_a, in_a, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
    client = TenantClient(company_a).login_as(pracownik)

    response = client.post("/time/timer/start/", {"project": project.pk, "next": "/tasks/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert client.get("/api/v1/time-entries/running/").json()["project"] == project.pk

    response = client.post("/time/timer/stop/", {"next": "https://evil.test/"})
    assert response.status_code == 302 and response["Location"] == "/time/"
    assert client.get("/api/v1/time-entries/running/").json() is None


def test_a_task_of_another_project_is_refused_with_a_message(in_a, api_szef):
    with in_a():
        project = project_make()
        other_task = task_make(project_make(name="Inny"))

    response = _start(api_szef, {"project": project.pk, "task": other_task.pk})

    assert response.status_code == 400
    assert "nie należy do wybranego projektu" in response.json()["task"][0]
    with in_a():
        assert not TimeEntry.objects.exists()


def test_pracownik_cannot_start_a_timer_on_a_project_he_is_not_on(in_a, api_pracownik):
    with in_a():
        project = project_make()

    response = _start(api_pracownik, {"project": project.pk})

    assert response.status_code == 400
    assert "project" in response.json()
