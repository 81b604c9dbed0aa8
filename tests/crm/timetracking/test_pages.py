"""The staff pages of time tracking: the weekly timesheet (a Pracownik sees only his own,
Szef picks anyone), typing in an entry, the project's time, the task card's timer, the
header timer's place; another company's records are a 404."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from crm.timetracking.models import TimeEntry
from crm.timetracking.selectors import day_start, week_monday
from tests.crm.timetracking.factories import entry_make, project_make, task_make
from tests.support.clients import TenantClient


def _monday():
    return week_monday(timezone.localdate()) - timedelta(days=7)  # last week: every day is in the past


def test_the_timesheet_shows_the_week_by_project_and_task(company_a, in_a, pracownik):
    monday = _monday()
    with in_a():
        project = project_make(name="Sklep internetowy", members=[pracownik])
        task = task_make(project, title="Koszyk")
        entry_make(
            project=project, user=pracownik, task=task, start=day_start(monday) + timedelta(hours=9), minutes=150
        )
        entry_make(
            project=project, user=pracownik, task=task, start=day_start(monday) + timedelta(days=2, hours=9), minutes=30
        )
    client = TenantClient(company_a).login_as(pracownik)

    response = client.get(f"/time/?week={(monday + timedelta(days=3)).isoformat()}")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sklep internetowy" in page and "Koszyk" in page
    assert "2:30" in page and "3:00" in page  # Monday, and the week's total
    assert f"week={(monday - timedelta(days=7)).isoformat()}" in page


def test_pracownik_cannot_open_a_colleagues_timesheet(company_a, in_a, pracownik, szef):
    client = TenantClient(company_a).login_as(pracownik)

    assert client.get(f"/time/?user={szef.pk}").status_code == 404
    assert client.get(f"/time/export/?user={szef.pk}").status_code == 404
    assert client.get(f"/time/?user={pracownik.pk}").status_code == 200


def test_szef_opens_a_colleagues_timesheet_and_its_csv(company_a, in_a, pracownik, szef):
    monday = _monday()
    with in_a():
        project = project_make(name="Migracja danych")
        entry_make(project=project, user=pracownik, start=day_start(monday) + timedelta(hours=10), minutes=45)
    client = TenantClient(company_a).login_as(szef)

    page = client.get(f"/time/?user={pracownik.pk}&week={monday.isoformat()}")
    assert page.status_code == 200 and "Migracja danych" in page.content.decode()
    csv = client.get(f"/time/export/?user={pracownik.pk}&week={monday.isoformat()}")
    assert csv.status_code == 200
    assert "Migracja danych" in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_a_bad_week_is_a_400_with_a_message(company_a, szef):
    client = TenantClient(company_a).login_as(szef)

    response = client.get("/time/?week=jutro")

    assert response.status_code == 400
    assert "data" in response.content.decode().lower()


def test_an_entry_typed_in_on_the_page_and_its_errors(company_a, in_a, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
    client = TenantClient(company_a).login_as(pracownik)
    start = timezone.localtime() - timedelta(hours=3)
    form = {"project": project.pk, "started_at": start.strftime("%Y-%m-%dT%H:%M"), "billable": "on"}

    assert client.get(f"/time/new/?project={project.pk}").status_code == 200
    missing_end = client.post("/time/new/", form)
    assert missing_end.status_code == 400 and "liczbę minut" in missing_end.content.decode()
    future = client.post(
        "/time/new/", {**form, "started_at": (start + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"), "minutes": 30}
    )
    assert future.status_code == 400 and "w przyszłości" in future.content.decode()

    saved = client.post("/time/new/", {**form, "minutes": 40})
    assert saved.status_code == 302
    with in_a():
        entry = TimeEntry.objects.get()
    assert entry.minutes == 40 and entry.user_id == pracownik.pk

    assert client.get(f"/time/{entry.pk}/edit/").status_code == 200
    changed = client.post(f"/time/{entry.pk}/edit/", {**form, "minutes": 55, "note": "Poprawki"})
    assert changed.status_code == 302
    assert client.post(f"/time/{entry.pk}/delete/").status_code == 302
    with in_a():
        assert not TimeEntry.objects.exists()


def test_pracownik_cannot_edit_a_colleagues_entry_nor_see_other_projects(company_a, in_a, pracownik, szef):
    with in_a():
        his = project_make(name="Jego", members=[pracownik])
        other = project_make(name="Cudzy")
        colleagues = entry_make(project=his, user=szef, start=timezone.now() - timedelta(days=1))
        hidden = entry_make(project=other, user=szef, start=timezone.now() - timedelta(days=2))
    client = TenantClient(company_a).login_as(pracownik)

    assert client.get(f"/time/{colleagues.pk}/edit/").status_code == 403
    assert client.post(f"/time/{colleagues.pk}/delete/").status_code == 403
    assert client.get(f"/time/{hidden.pk}/edit/").status_code == 404
    assert client.get(f"/time/projects/{other.pk}/").status_code == 404
    assert client.post("/time/timer/start/", {"project": other.pk}).status_code == 404
    page = client.get(f"/time/projects/{his.pk}/")
    assert page.status_code == 200 and "Wystaw fakturę" not in page.content.decode()


def test_the_project_time_page_shows_hours_against_the_budget_and_the_unbilled_amount(company_a, in_a, szef):
    with in_a():
        project = project_make(budget_hours=10)
        entry_make(project=project, user=szef, start=timezone.now() - timedelta(days=1), minutes=150)
    client = TenantClient(company_a).login_as(szef)

    page = client.get(f"/time/projects/{project.pk}/").content.decode()

    assert "2:30 h / 10" in page and "(25%)" in page
    assert "375,00" in page  # 2.5 h × 150 PLN
    assert "Wystaw fakturę za niezafakturowany czas" in page


def test_the_task_card_has_the_timer_when_the_task_is_in_a_project(company_a, in_a, szef):
    with in_a():
        project = project_make()
        task = task_make(project, assignee=szef)
    client = TenantClient(company_a).login_as(szef)

    page = client.get(f"/tasks/{task.pk}/").content.decode()

    assert 'data-testid="task-timer-start"' in page


def test_every_page_has_the_header_timer_placeholder(company_a, szef):
    page = TenantClient(company_a).login_as(szef).get("/time/").content.decode()

    assert 'data-url="/api/v1/time-entries/running/"' in page


def test_another_companys_pages_are_a_404(company_b, in_a, outsider, szef):
    with in_a():
        project = project_make()
        entry = entry_make(project=project, user=szef, start=timezone.now() - timedelta(days=1))
    client = TenantClient(company_b).login_as(outsider)

    assert client.get(f"/time/{entry.pk}/edit/").status_code == 404
    assert client.post(f"/time/{entry.pk}/delete/").status_code == 404
    assert client.get(f"/time/projects/{project.pk}/").status_code == 404
    assert client.post(f"/time/projects/{project.pk}/invoice/", {"group_by": "task"}).status_code == 404
