"""Quick add of a task from the calendar widget."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django_tenants.utils import schema_context

from crm.tasks.models import Task
from tests.crm.dashboard.conftest import text_of


def test_quick_add_with_htmx_creates_my_task_and_returns_the_calendar(client_a, company_a, szef, frozen):
    client_a.login_as(szef)
    response = client_a.post(
        "/dashboard/quick-task/",
        {"title": "  Telefon do Budmaxu ", "due_date": "2025-03-13", "due_time": "15:30"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="w-calendar"' in html
    assert "Telefon do Budmaxu" in html.split('data-testid="calendar"')[1]
    assert text_of(html, "quick-add") == "Dodaj zadanie"  # the form is closed again
    with schema_context(company_a.schema_name):
        task = Task.objects.get()
    assert task.title == "Telefon do Budmaxu"
    assert task.assignee_id == szef.pk
    assert task.created_by_id == szef.pk
    assert task.due_at == datetime(2025, 3, 13, 14, 30, tzinfo=UTC)  # 15:30 in Warsaw (CET)


def test_quick_add_without_time_defaults_to_nine_oclock_local(client_a, company_a, szef, frozen):
    client_a.login_as(szef).post("/dashboard/quick-task/", {"title": "Oferta", "due_date": "2025-07-01"})
    with schema_context(company_a.schema_name):
        assert Task.objects.get().due_at == datetime(2025, 7, 1, 7, 0, tzinfo=UTC)  # CEST


def test_quick_add_without_javascript_redirects_home(client_a, szef, frozen):
    response = client_a.login_as(szef).post("/dashboard/quick-task/", {"title": "Oferta", "due_date": "2025-03-13"})
    assert response.status_code == 302
    assert response["Location"] == "/#w-calendar"


def test_quick_add_form_opens_in_the_widget(client_a, szef, frozen):
    response = client_a.login_as(szef).get("/dashboard/quick-task/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="quick-form"' in html
    assert 'value="2025-03-12"' in html  # today, in Warsaw
    assert '<label class="form-label small mb-0" for="id_title">' in html


def test_quick_add_with_errors_saves_nothing_and_explains(client_a, company_a, szef, frozen):
    client_a.login_as(szef)
    response = client_a.post(
        "/dashboard/quick-task/", {"title": "   ", "due_date": "2025-02-30"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps the widget with the form and its errors
    assert 'id="id_title_error"' in html
    assert "Podaj datę w formacie RRRR-MM-DD." in html
    page = client_a.post("/dashboard/quick-task/", {"title": "x" * 201, "due_date": "2025-03-13"})
    assert page.status_code == 400
    with schema_context(company_a.schema_name):
        assert not Task.objects.exists()


@pytest.mark.parametrize("category", ["987654", "9223372036854775808", "-1", "abc"])
def test_quick_add_rejects_a_category_not_of_this_company(client_a, company_a, szef, frozen, category):
    client_a.login_as(szef)
    response = client_a.post(
        "/dashboard/quick-task/", {"title": "Oferta", "due_date": "2025-03-13", "category": category}
    )
    assert response.status_code == 400
    assert "Wybierz kategorię z listy." in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Task.objects.exists()
