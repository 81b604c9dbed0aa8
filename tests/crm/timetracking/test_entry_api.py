"""/api/v1/time-entries/: the fields, the rules of a typed-in entry (no overlap, no
future, end after start), filters, ranks, and another company's entry is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.timetracking.models import TimeEntry
from tests.crm.timetracking.factories import ago, entry_make, project_make, task_make

FIELDS = {"id", "project", "task", "user", "started_at", "ended_at", "minutes", "billable", "note", "invoiced"}


def _post(client, body):
    return client.post("/api/v1/time-entries/", body, content_type="application/json")


def _iso(moment):
    return moment.isoformat()


def test_a_typed_in_entry_gets_its_minutes_from_start_and_end(in_a, api_pracownik, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
        task = task_make(project)
    start = ago(hours=3)

    response = _post(
        api_pracownik,
        {
            "project": project.pk,
            "task": task.pk,
            "started_at": _iso(start),
            "ended_at": _iso(start + timedelta(minutes=90)),
            "note": "Makiety",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= FIELDS
    assert (body["minutes"], body["user"], body["billable"], body["invoiced"]) == (90, pracownik.pk, True, False)


def test_an_entry_may_be_given_as_minutes(in_a, api_szef):
    with in_a():
        project = project_make()
    start = ago(hours=5)

    response = _post(api_szef, {"project": project.pk, "started_at": _iso(start), "minutes": 45, "billable": False})

    assert response.status_code == 201, response.content
    with in_a():
        entry = TimeEntry.objects.get()
    assert entry.ended_at == start + timedelta(minutes=45) and not entry.billable


def test_overlapping_entries_of_the_same_person_are_refused(in_a, api_szef, szef, pracownik):
    with in_a():
        project = project_make()
        entry_make(project=project, user=szef, start=ago(hours=4), minutes=120)
        entry_make(project=project, user=pracownik, start=ago(hours=4), minutes=120)  # someone else's: no clash

    response = _post(api_szef, {"project": project.pk, "started_at": _iso(ago(hours=3)), "minutes": 30})

    assert response.status_code == 400
    assert "nakłada się" in response.json()["started_at"][0]
    with in_a():
        assert TimeEntry.objects.filter(user=szef).count() == 1


def test_an_entry_touching_the_previous_one_is_fine(in_a, api_szef, szef):
    with in_a():
        project = project_make()
        before = entry_make(project=project, user=szef, start=ago(hours=4), minutes=60)

    response = _post(api_szef, {"project": project.pk, "started_at": _iso(before.ended_at), "minutes": 30})

    assert response.status_code == 201, response.content


def test_a_typed_in_entry_overlapping_the_running_timer_is_refused(in_a, api_szef, szef):
    with in_a():
        project = project_make()
        TimeEntry.objects.create(project=project, user=szef, started_at=ago(hours=1))  # running since an hour

    response = _post(api_szef, {"project": project.pk, "started_at": _iso(ago(minutes=40)), "minutes": 20})

    assert response.status_code == 400
    assert "nakłada się" in response.json()["started_at"][0]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"started_at": "+1h", "minutes": 30}, "started_at", "w przyszłości"),
        ({"started_at": "-1h", "ended_at": "+1h"}, "ended_at", "w przyszłości"),
        ({"started_at": "-1h", "ended_at": "-2h"}, "ended_at", "później niż początek"),
        ({"started_at": "-30h", "ended_at": "-1h"}, "ended_at", "24 godziny"),
        ({"started_at": "-1h"}, "ended_at", "liczbę minut"),
        ({"started_at": "-3h", "ended_at": "-2h", "minutes": 15}, "minutes", "nie zgadza się"),
        ({"started_at": "wczoraj", "minutes": 15}, "started_at", ""),
        ({"started_at": "-1h", "minutes": 0}, "minutes", ""),
        ({"started_at": "-1h", "minutes": "dużo"}, "minutes", ""),
    ],
)
def test_bad_times_are_a_400_naming_the_field_and_nothing_is_saved(in_a, api_szef, body, field, words):
    with in_a():
        project = project_make()
    now = timezone.now()
    shifted = {}
    for name, value in body.items():
        if isinstance(value, str) and value[:1] in "+-" and value.endswith("h"):
            value = _iso(now + timedelta(hours=int(value[:-1])))
        shifted[name] = value

    response = _post(api_szef, {"project": project.pk, **shifted})

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert words in response.json()[field][0]
    with in_a():
        assert not TimeEntry.objects.exists()


def test_messages_come_in_english_for_english_speakers(in_a, api_szef):
    with in_a():
        project = project_make()

    response = api_szef.post(
        "/api/v1/time-entries/",
        {"project": project.pk, "started_at": _iso(ago(hours=-2)), "minutes": 30},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "future" in response.json()["started_at"][0]


def test_filters_by_project_person_and_dates(in_a, api_szef, szef, pracownik):
    with in_a():
        one = project_make(name="Jeden")
        two = project_make(name="Dwa")
        old = entry_make(project=one, user=szef, start=ago(days=10))
        recent = entry_make(project=one, user=pracownik, start=ago(days=1))
        entry_make(project=two, user=szef, start=ago(days=1, hours=3))

    def ids(query):
        response = api_szef.get(f"/api/v1/time-entries/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"project={one.pk}") == {old.pk, recent.pk}
    assert ids(f"project={one.pk}&user={pracownik.pk}") == {recent.pk}
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert ids(f"project={one.pk}&date_from={since}") == {recent.pk}
    assert ids(f"project={one.pk}&date_to={since}") == {old.pk}
    bad = api_szef.get("/api/v1/time-entries/?date_from=jutro")
    assert bad.status_code == 400 and "date_from" in bad.json()
    assert api_szef.get("/api/v1/time-entries/?project=abc").status_code == 400


def test_pracownik_sees_entries_of_his_projects_only(in_a, api_pracownik, szef, pracownik):
    with in_a():
        his = project_make(name="Jego", members=[pracownik])
        other = project_make(name="Cudzy")
        on_his = entry_make(project=his, user=szef, start=ago(days=1))
        hidden = entry_make(project=other, user=szef, start=ago(days=2))

    listed = {row["id"] for row in api_pracownik.get("/api/v1/time-entries/").json()["results"]}

    assert listed == {on_his.pk}
    assert api_pracownik.get(f"/api/v1/time-entries/{hidden.pk}/").status_code == 404


def test_pracownik_cannot_change_a_colleagues_entry_nor_log_time_for_him(in_a, api_pracownik, szef, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
        colleagues = entry_make(project=project, user=szef, start=ago(days=1))

    response = api_pracownik.patch(
        f"/api/v1/time-entries/{colleagues.pk}/", {"note": "moje"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert api_pracownik.delete(f"/api/v1/time-entries/{colleagues.pk}/").status_code == 403

    response = _post(
        api_pracownik, {"project": project.pk, "user": szef.pk, "started_at": _iso(ago(hours=3)), "minutes": 30}
    )
    assert response.status_code == 400 and "user" in response.json()


def test_szef_logs_time_for_a_colleague_and_changes_it(in_a, api_szef, pracownik):
    with in_a():
        project = project_make()

    created = _post(
        api_szef, {"project": project.pk, "user": pracownik.pk, "started_at": _iso(ago(hours=3)), "minutes": 30}
    )
    assert created.status_code == 201, created.content
    assert created.json()["user"] == pracownik.pk

    changed = api_szef.patch(
        f"/api/v1/time-entries/{created.json()['id']}/", {"minutes": 50}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["minutes"] == 50

    deleted = api_szef.delete(f"/api/v1/time-entries/{created.json()['id']}/")
    assert deleted.status_code == 204
    with in_a():
        assert not TimeEntry.objects.exists()


def test_another_companys_entry_is_a_404(in_a, api_outsider, szef):
    with in_a():
        entry = entry_make(project=project_make(), user=szef, start=ago(days=1))

    assert api_outsider.get(f"/api/v1/time-entries/{entry.pk}/").status_code == 404
    assert (
        api_outsider.patch(
            f"/api/v1/time-entries/{entry.pk}/", {"note": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert api_outsider.delete(f"/api/v1/time-entries/{entry.pk}/").status_code == 404
    assert api_outsider.get("/api/v1/time-entries/").json()["results"] == []
