"""The project pages: the list with filters and Polish order, the form with errors next
to the fields (nothing saved), the card with progress, milestones and their tasks,
milestones added, edited, reordered and deleted, tasks added from the card, and the
customer card's "Projekty" tab."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from crm.projects.models import Milestone, Project
from crm.tasks.models import Task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.projects.factories import milestone_make, project_make, task_in


def test_the_list_filters_by_status_customer_member_and_name(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Kowalski i Syn")
        project_make(actor=szef, name="Łódź – nowa hala", status="in_progress", customer=customer)
        project_make(actor=szef, name="Aplikacja mobilna", status="finished", members=[pracownik])
        project_make(actor=szef, name="Zegar", status="on_hold")
    client_a.login_as(szef)

    html = client_a.get("/projects/").content.decode()
    by_status = client_a.get("/projects/", {"status": "finished"}).content.decode()
    by_customer = client_a.get("/projects/", {"customer": customer.pk}).content.decode()
    by_member = client_a.get("/projects/", {"member": pracownik.pk}).content.decode()
    by_name = client_a.get("/projects/", {"q": "lodz"}).content.decode()
    bad = client_a.get("/projects/", {"status": "<x>", "customer": "abc", "member": "-1"})

    assert html.index("Aplikacja mobilna") < html.index("Łódź – nowa hala") < html.index("Zegar")
    assert "Aplikacja mobilna" in by_status and "Zegar" not in by_status
    assert "Łódź – nowa hala" in by_customer and "Zegar" not in by_customer
    assert "Aplikacja mobilna" in by_member and "Zegar" not in by_member
    assert "Łódź – nowa hala" in by_name and "Zegar" not in by_name
    assert bad.status_code == 200


def test_creating_a_project_on_the_page(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(szef)
    assert client_a.get(f"/projects/new/?customer={customer.pk}").status_code == 200

    response = client_a.post(
        "/projects/new/",
        {
            "name": "Sklep internetowy",
            "customer": customer.pk,
            "status": "in_progress",
            "billing_type": "project_hours",
            "rate": "150",
            "currency": "PLN",
            "budget_hours": "100",
            "start_date": "2027-03-01",
            "deadline": "2027-06-30",
            "owner": szef.pk,
            "members": [pracownik.pk, szef.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context(company_a.schema_name):
        project = Project.objects.get(name="Sklep internetowy")
        assert set(project.members.values_list("pk", flat=True)) == {pracownik.pk, szef.pk}
    card = client_a.get(response["Location"]).content.decode()
    assert "Sklep internetowy" in card and customer.name in card


def test_form_errors_show_next_to_the_fields_and_nothing_is_saved(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(szef)

    response = client_a.post(
        "/projects/new/",
        {
            "name": "",
            "customer": customer.pk,
            "status": "in_progress",
            "billing_type": "fixed",
            "rate": "-3",
            "currency": "PLN",
            "start_date": "2027-03-10",
            "deadline": "2027-03-01",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Termin nie może być wcześniejszy niż data rozpoczęcia." in html
    assert "is-invalid" in html
    with schema_context(company_a.schema_name):
        assert not Project.objects.exists()


def test_editing_a_project(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef, name="Stara nazwa")
    client_a.login_as(szef)
    form = client_a.get(f"/projects/{project.pk}/edit/")
    assert form.status_code == 200 and "Stara nazwa" in form.content.decode()

    response = client_a.post(
        f"/projects/{project.pk}/edit/",
        {
            "name": "Nowa nazwa",
            "customer": project.customer_id,
            "status": "on_hold",
            "billing_type": "task_hours",
            "rate": "0",
            "currency": "PLN",
            "start_date": "2027-01-04",
        },
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        project.refresh_from_db()
        assert (project.name, project.status, project.billing_type) == ("Nowa nazwa", "on_hold", "task_hours")


def test_the_card_shows_progress_milestones_their_tasks_and_what_is_overdue(client_a, company_a, szef):
    yesterday = timezone.now() - timedelta(days=1)
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef, name="Wdrożenie")
        analysis = milestone_make(project, name="Analiza", due_date=date(2020, 1, 1))
        milestone_make(project, name="Szkolenie")
        task_in(project, "Warsztat", milestone=analysis, done=True)
        task_in(project, "Raport z analizy", milestone=analysis, due_at=yesterday)
        task_in(project, "Zadanie luźne")
    client_a.login_as(szef)

    html = client_a.get(f"/projects/{project.pk}/").content.decode()

    assert "Wykonano 1 z 3 zadań (33%)" in html
    assert "Zadań po terminie: 1." in html
    assert html.index("Analiza") < html.index("Raport z analizy") < html.index("Warsztat") < html.index("Szkolenie")
    assert "Zadanie luźne" in html
    assert "Po terminie" in html


def test_milestones_are_added_edited_moved_and_deleted(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef)
        first = milestone_make(project, name="Pierwszy")
        task_in(project, "Zadanie etapu", milestone=first)
    client_a.login_as(szef)

    added = client_a.post(f"/projects/{project.pk}/milestones/new/", {"name": "Drugi", "due_date": "2027-05-01"})
    with schema_context(company_a.schema_name):
        second = Milestone.objects.get(name="Drugi")
    refused = client_a.post(f"/projects/{project.pk}/milestones/new/", {"name": "", "due_date": "jutro"})
    edited = client_a.post(f"/projects/{project.pk}/milestones/{first.pk}/edit/", {"name": "Pierwszy etap"})
    moved = client_a.post(f"/projects/{project.pk}/milestones/{second.pk}/move/", {"direction": "up"})
    dragged = client_a.post(f"/projects/{project.pk}/milestones/{second.pk}/move/", {"position": "2", "format": "json"})
    bad_move = client_a.post(
        f"/projects/{project.pk}/milestones/{second.pk}/move/", {"position": "x", "format": "json"}
    )

    assert added.status_code == 302 and edited.status_code == 302 and moved.status_code == 302
    assert refused.status_code == 400
    assert dragged.json() == {"ok": True}
    assert bad_move.status_code == 400 and bad_move.json()["ok"] is False
    with schema_context(company_a.schema_name):
        assert list(project.milestones.values_list("name", flat=True)) == ["Pierwszy etap", "Drugi"]
    client_a.post(f"/projects/{project.pk}/milestones/{second.pk}/move/", {"direction": "up"})
    with schema_context(company_a.schema_name):
        assert list(project.milestones.values_list("name", flat=True)) == ["Drugi", "Pierwszy etap"]

    deleted = client_a.post(f"/projects/{project.pk}/milestones/{first.pk}/delete/")

    assert deleted.status_code == 302
    with schema_context(company_a.schema_name):
        assert list(project.milestones.values_list("name", flat=True)) == ["Drugi"]
        task = Task.objects.get(title="Zadanie etapu")
        assert (task.project_id, task.milestone_id) == (project.pk, None)


def test_adding_a_task_from_the_card(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef)
        milestone = milestone_make(project)
        other = milestone_make(project_make(actor=szef, name="Inny"), name="Obcy")
    client_a.login_as(szef)

    added = client_a.post(f"/projects/{project.pk}/tasks/new/", {"title": "Nowe zadanie", "milestone": milestone.pk})
    blank = client_a.post(f"/projects/{project.pk}/tasks/new/", {"title": "  "})
    foreign = client_a.post(f"/projects/{project.pk}/tasks/new/", {"title": "Obce", "milestone": other.pk})

    assert added.status_code == 302 and blank.status_code == 302 and foreign.status_code == 302
    with schema_context(company_a.schema_name):
        assert Task.objects.get(title="Nowe zadanie").milestone_id == milestone.pk
        assert not Task.objects.filter(title="Obce").exists()
    html = client_a.get(f"/projects/{project.pk}/").content.decode()
    assert "Nowe zadanie" in html


def test_the_task_form_offers_the_project_and_milestone(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef, name="Projekt X")
        milestone = milestone_make(project, name="Etap X")
    client_a.login_as(szef)

    form = client_a.get(f"/tasks/new/?milestone={milestone.pk}").content.decode()
    response = client_a.post(
        "/tasks/new/",
        {"title": "Z formularza", "project": project.pk, "milestone": milestone.pk, "visibility": "everyone"},
    )

    assert "Projekt X" in form and "Etap X" in form
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(company_a.schema_name):
        task = Task.objects.get(title="Z formularza")
        assert (task.project_id, task.milestone_id) == (project.pk, milestone.pk)
    assert "Projekt X" in client_a.get(response["Location"]).content.decode()


def test_the_customer_card_has_a_projects_tab(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        project = project_make(actor=szef, name="Projekt klienta")
    client_a.login_as(szef)

    html = client_a.get(f"/customers/{project.customer_id}/?tab=projects").content.decode()

    assert "Projekt klienta" in html and f"/projects/new/?customer={project.customer_id}" in html


def test_the_menu_has_projects(client_a, szef):
    html = client_a.login_as(szef).get("/projects/").content.decode()

    assert 'href="/projects/"' in html
