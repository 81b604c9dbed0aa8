"""Task pages: create, edit, delete, done, list views; clear errors and nothing saved on bad input."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.notes.models import TimelineEvent
from crm.tasks.models import Task
from tests.crm.sales.helpers import customer_make, deal_make, task_category, task_make


def _form(**overrides):
    data = {
        "title": "Zadzwonić do klienta",
        "description": "Omówić ofertę",
        "category": "",
        "starts_at": "2030-05-06T09:00",
        "due_at": "2030-05-06T10:00",
        "reminder_minutes": "30",
        "assignee": "",
        "visibility": "everyone",
        "customer": "",
        "deal": "",
    }
    data.update(overrides)
    return data


def test_szef_adds_a_task_for_a_deal_and_its_customer(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        category = task_category()
    client_a.login_as(szef)

    response = client_a.post(
        "/tasks/new/",
        _form(customer=str(deal.customer_id), deal=str(deal.pk), assignee=str(pracownik.pk), category=str(category.pk)),
    )

    with schema_context(company_a.schema_name):
        task = Task.objects.get(title="Zadzwonić do klienta")
        assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
        assert task.deal == deal and task.customer_id == deal.customer_id
        assert task.assignee == pracownik
        assert task.created_by == szef
        assert task.category == category
        assert timezone.localtime(task.due_at).hour == 10
        assert task.remind_at == task.due_at - timedelta(minutes=30)


def test_new_task_page_preselects_customer_and_deal_from_the_query(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, name="Szansa do zadania")
    client_a.login_as(szef)

    page = client_a.get(f"/tasks/new/?customer={deal.customer_id}&deal={deal.pk}").content.decode()

    assert f'<option value="{deal.customer_id}" selected>' in page
    assert f'<option value="{deal.pk}" selected>Szansa do zadania</option>' in page


def test_new_task_page_with_foreign_or_bad_ids_is_404(client_b, outsider, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
    client_b.login_as(outsider)

    assert client_b.get(f"/tasks/new/?customer={deal.customer_id}").status_code == 404
    assert client_b.get(f"/tasks/new/?deal={deal.pk}").status_code == 404
    assert client_b.get("/tasks/new/?deal=x").status_code == 404


def test_task_without_title_shows_the_error_and_saves_nothing(client_a, szef, company_a):
    client_a.login_as(szef)

    response = client_a.post("/tasks/new/", _form(title=""))

    assert 'data-testid="error-title"' in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Task.objects.exists()


def test_due_time_before_the_start_is_refused(client_a, szef, company_a):
    client_a.login_as(szef)

    response = client_a.post("/tasks/new/", _form(starts_at="2030-05-06T12:00", due_at="2030-05-06T10:00"))

    page = response.content.decode()
    assert 'data-testid="error-due_at"' in page
    assert "Termin nie może być wcześniejszy niż początek zadania." in page
    with schema_context(company_a.schema_name):
        assert not Task.objects.exists()


def test_deal_of_another_customer_is_refused(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        other = customer_make()
    client_a.login_as(szef)

    response = client_a.post("/tasks/new/", _form(customer=str(other.pk), deal=str(deal.pk)))

    assert "Ta szansa sprzedaży należy do innego klienta." in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Task.objects.exists()


def test_editing_a_task(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, created_by=szef, title="Stary tytuł")
    client_a.login_as(szef)

    response = client_a.post(f"/tasks/{task.pk}/edit/", _form(title="Nowy tytuł", assignee=str(szef.pk)))

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert Task.objects.get(pk=task.pk).title == "Nowy tytuł"


def test_deleting_a_task_asks_first(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, title="Do skasowania")
    client_a.login_as(szef)

    assert "Do skasowania" in client_a.get(f"/tasks/{task.pk}/delete/").content.decode()
    assert client_a.post(f"/tasks/{task.pk}/delete/").status_code == 302
    with schema_context(company_a.schema_name):
        assert not Task.objects.filter(pk=task.pk).exists()


def test_marking_done_sets_completion_time_and_goes_on_the_customer_timeline(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = customer_make()
        task = task_make(assignee=szef, customer=customer, title="Wysłać ofertę")
    client_a.login_as(szef)

    response = client_a.post(f"/tasks/{task.pk}/done/", {"done": "1", "next": "/tasks/?view=all"})

    assert response.status_code == 302 and response["Location"] == "/tasks/?view=all"
    with schema_context(company_a.schema_name):
        task.refresh_from_db()
        assert task.done and task.completed_at is not None
        assert TimelineEvent.objects.filter(task=task, kind="task_completed").exists()
    client_a.post(f"/tasks/{task.pk}/done/", {"done": "0"})
    with schema_context(company_a.schema_name):
        task.refresh_from_db()
        assert not task.done and task.completed_at is None


def test_done_redirect_never_leaves_the_site(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef)
    client_a.login_as(szef)

    response = client_a.post(f"/tasks/{task.pk}/done/", {"done": "1", "next": "https://evil.example/"})

    assert response["Location"] == f"/tasks/{task.pk}/"


def _next_wednesday_noon() -> datetime:
    """A fixed weekday within the company's trial (a date far ahead would hit the trial's end)."""
    today = timezone.localdate()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.combine(wednesday, datetime.min.time()).replace(hour=12))


def test_list_views_mine_overdue_today_and_this_week(client_a, szef, pracownik, company_a):
    now = _next_wednesday_noon()

    def at(days: int, hour: int) -> datetime:
        return now.replace(hour=hour) + timedelta(days=days)

    with freeze_time(now):
        with schema_context(company_a.schema_name):
            task_make(title="Moje zaległe", assignee=szef, due_at=at(-2, 9))
            task_make(title="Moje dzisiejsze", assignee=szef, due_at=at(0, 16))
            task_make(title="Cudze na dziś", assignee=pracownik, due_at=at(0, 17))
            task_make(title="Cudze w piątek", assignee=pracownik, due_at=at(2, 8))
            task_make(title="Moje za miesiąc", assignee=szef, due_at=at(33, 8))
            task_make(title="Moje wykonane", assignee=szef, done=True, completed_at=at(-1, 8))
        client_a.login_as(szef)
        names = (
            "Moje zaległe",
            "Moje dzisiejsze",
            "Cudze na dziś",
            "Cudze w piątek",
            "Moje za miesiąc",
            "Moje wykonane",
        )

        def titles(view):
            page = client_a.get(f"/tasks/?view={view}").content.decode()
            return {name for name in names if name in page}

        assert titles("mine") == {"Moje zaległe", "Moje dzisiejsze", "Moje za miesiąc"}
        assert titles("overdue") == {"Moje zaległe"}
        assert titles("today") == {"Moje dzisiejsze", "Cudze na dziś"}
        assert titles("week") == {"Moje zaległe", "Moje dzisiejsze", "Cudze na dziś", "Cudze w piątek"}
        assert titles("done") == {"Moje wykonane"}
        assert titles("all") == set(names)


def test_list_query_count_does_not_grow_with_the_number_of_tasks(
    client_a, szef, company_a, django_assert_max_num_queries
):
    client_a.login_as(szef)
    with schema_context(company_a.schema_name):
        customer = customer_make()
        deal = deal_make(customer=customer, owner=szef)
        category = task_category()
        task_make(assignee=szef, customer=customer, deal=deal, category=category)
    with django_assert_max_num_queries(40) as few:
        client_a.get("/tasks/?view=all")
    with schema_context(company_a.schema_name):
        for _i in range(30):
            task_make(assignee=szef, customer=customer_make(), deal=deal, category=category)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client_a.get("/tasks/?view=all").content.decode()
    assert page.count('class="list-group-item task-row') == 31


def test_anonymous_visitor_is_sent_to_login(client_a):
    for url in ("/tasks/", "/tasks/new/", "/tasks/board/", "/tasks/calendar/", "/tasks/1/"):
        response = client_a.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
