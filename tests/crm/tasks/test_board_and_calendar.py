"""The task board (by category / by state) and the calendar, with their drag-and-drop endpoints."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.categories.models import TaskCategory
from crm.tasks.models import Task
from tests.crm.sales.helpers import task_make


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))


def test_board_by_category_has_a_coloured_column_per_category_with_open_tasks(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        phone = TaskCategory.objects.get(name="Telefon")
        task_make(title="Oddzwonić", category=phone, assignee=szef)
        task_make(title="Zrobione już", category=phone, assignee=szef, done=True)
        names = list(TaskCategory.objects.values_list("name", flat=True))
    client_a.login_as(szef)

    page = client_a.get("/tasks/board/").content.decode()

    for name in names:
        assert name in page
    assert f'data-border-color="{phone.color}"' in page
    assert "Oddzwonić" in page and "Zrobione już" not in page


def test_board_by_state_has_to_do_and_done_columns(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        todo = task_make(title="Do zrobienia teraz", assignee=szef)
        done = task_make(title="Już zrobione", assignee=szef, done=True, completed_at=timezone.now())
    client_a.login_as(szef)

    page = client_a.get("/tasks/board/?by=state").content.decode()

    todo_column = page.split('data-testid="column-todo"')[1].split("</ol>")[0]
    done_column = page.split('data-testid="column-done"')[1].split("</ol>")[0]
    assert f'data-task="{todo.pk}"' in todo_column
    assert f'data-task="{done.pk}"' in done_column


def test_dragging_a_task_to_another_category_column(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        meeting = TaskCategory.objects.get(name="Spotkanie")
        task = task_make(assignee=szef)
    client_a.login_as(szef)

    response = client_a.post(f"/tasks/{task.pk}/board-move/", {"category": str(meeting.pk)})

    assert response.json() == {"ok": True}
    with schema_context(company_a.schema_name):
        assert Task.objects.get(pk=task.pk).category == meeting


def test_dragging_a_task_to_done_completes_it(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef)
    client_a.login_as(szef)

    client_a.post(f"/tasks/{task.pk}/board-move/", {"state": "done"})

    with schema_context(company_a.schema_name):
        task.refresh_from_db()
        assert task.done and task.completed_at is not None


def test_board_move_with_bad_input_is_refused_and_changes_nothing(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef)
    client_a.login_as(szef)

    for data in ({"category": "99999"}, {"state": "later"}, {}):
        response = client_a.post(f"/tasks/{task.pk}/board-move/", data)
        assert response.status_code == 400
        assert response.json()["error"]
    with schema_context(company_a.schema_name):
        task.refresh_from_db()
        assert task.category is None and not task.done


def test_month_calendar_shows_tasks_on_their_local_day(client_a, szef, company_a):
    day = timezone.localdate().replace(day=15)
    with schema_context(company_a.schema_name):
        task = task_make(title="Spotkanie w połowie miesiąca", assignee=szef, due_at=_aware(day, 0, 30))
    client_a.login_as(szef)

    page = client_a.get(f"/tasks/calendar/?date={day.isoformat()}").content.decode()

    cell = page.split(f'data-testid="day-{day.isoformat()}"')[1].split("</ol>")[0]
    assert f'data-task="{task.pk}"' in cell


def test_month_calendar_shows_four_tasks_a_day_and_how_many_more(client_a, szef, company_a):
    day = timezone.localdate().replace(day=10)
    with schema_context(company_a.schema_name):
        for hour in range(8, 14):
            task_make(title=f"Zadanie {hour}", assignee=szef, due_at=_aware(day, hour))
    client_a.login_as(szef)

    page = client_a.get(f"/tasks/calendar/?date={day.isoformat()}").content.decode()

    cell = page.split(f'data-testid="day-{day.isoformat()}"')[1].split("</section>")[0]
    assert cell.count("data-task=") == 4
    assert "+2 więcej" in cell


def test_week_calendar_covers_monday_to_sunday(client_a, szef, company_a):
    client_a.login_as(szef)
    anchor = timezone.localdate()
    monday = anchor - timedelta(days=anchor.weekday())

    page = client_a.get(f"/tasks/calendar/?view=week&date={anchor.isoformat()}").content.decode()

    assert f'data-testid="day-{monday.isoformat()}"' in page
    assert f'data-testid="day-{(monday + timedelta(days=6)).isoformat()}"' in page
    assert f'data-testid="day-{(monday + timedelta(days=7)).isoformat()}"' not in page


@pytest.mark.parametrize("bad", ["2024-13-45", "0001-01-01", "9999-12-31", "yesterday"])
def test_calendar_with_a_bad_date_shows_the_current_month_and_says_why(client_a, szef, bad):
    client_a.login_as(szef)

    response = client_a.get(f"/tasks/calendar/?date={bad}")

    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-testid="day-{timezone.localdate().isoformat()}"' in page
    assert "Nie pokażemy tej daty" in page


def test_dragging_a_task_to_another_day_keeps_its_hour_and_moves_the_start_too(client_a, szef, company_a):
    day = timezone.localdate() + timedelta(days=3)
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, starts_at=_aware(day, 9, 15), due_at=_aware(day, 10, 45))
        task.reminder_sent_at = timezone.now()
        task.save()
    client_a.login_as(szef)
    target = day + timedelta(days=2)

    response = client_a.post(f"/tasks/{task.pk}/reschedule/", {"date": target.isoformat()})

    assert response.status_code == 200 and response.json()["ok"]
    with schema_context(company_a.schema_name):
        task.refresh_from_db()
        assert timezone.localtime(task.due_at) == _aware(target, 10, 45)
        assert timezone.localtime(task.starts_at) == _aware(target, 9, 15)
        assert task.reminder_sent_at is None


def test_rescheduling_with_a_bad_date_or_without_a_due_time_is_refused(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        undated = task_make(assignee=szef)
        dated = task_make(assignee=szef, due_at=timezone.now())
    client_a.login_as(szef)

    assert client_a.post(f"/tasks/{dated.pk}/reschedule/", {"date": "jutro"}).status_code == 400
    refused = client_a.post(f"/tasks/{undated.pk}/reschedule/", {"date": "2030-01-01"})
    assert refused.status_code == 400
    assert "nie ma terminu" in refused.json()["error"]


def test_board_and_calendar_query_counts_do_not_grow_with_the_number_of_tasks(
    client_a, szef, company_a, django_assert_max_num_queries
):
    client_a.login_as(szef)
    today = timezone.localdate()
    with schema_context(company_a.schema_name):
        category = TaskCategory.objects.order_by("id").first()
        task_make(assignee=szef, category=category, due_at=_aware(today, 12))
        task_make(assignee=szef, category=category, due_at=_aware(today, 9), done=True, completed_at=timezone.now())
    urls = ["/tasks/board/", "/tasks/board/?by=state", "/tasks/calendar/", "/tasks/calendar/?view=week"]
    budgets = {}
    for url in urls:
        with django_assert_max_num_queries(40) as few:
            client_a.get(url)
        budgets[url] = len(few.captured_queries)
    with schema_context(company_a.schema_name):
        for i in range(40):
            task_make(assignee=szef, category=category, due_at=_aware(today, 8 + i % 10), done=i % 3 == 0)
    for url in urls:
        with django_assert_max_num_queries(budgets[url]):
            assert client_a.get(url).status_code == 200
