"""Projects in the record registry: notes and files on the card and through the API, the
customer's timeline, the global search (by name, only visible projects), the CSV export,
the trash (deleted with milestones and tasks, restored by Szef) and the activity log."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.notes.models import Attachment, Note
from crm.projects.models import Milestone, Project
from crm.tasks.models import Task
from crm.trash.models import TrashEntry
from tests.crm.projects.factories import milestone_make, project_make, task_in


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def project(company_a, szef):
    with schema_context(company_a.schema_name):
        return project_make(actor=szef, name="Hala magazynowa Łódź")


def test_a_note_on_a_project_shows_on_its_card_and_on_the_customers_timeline(client_a, szef, project, company_a):
    client_a.login_as(szef)

    added = client_a.post(f"/notes/project/{project.pk}/notes/add/", {"body": "Klient prosi o zmiany", "kind": "note"})
    card = client_a.get(f"/projects/{project.pk}/").content.decode()
    timeline = client_a.get(f"/customers/{project.customer_id}/?tab=timeline").content.decode()

    assert added.status_code == 302
    with schema_context(company_a.schema_name):
        note = Note.objects.get(body="Klient prosi o zmiany")
        assert (note.project_id, note.customer_id, note.target_kind) == (project.pk, project.customer_id, "project")
    assert "Klient prosi o zmiany" in card
    assert "Klient prosi o zmiany" in timeline and "Nowy projekt" in timeline


def test_files_on_projects_through_the_api(api_szef, project, company_a):
    upload = api_szef.post(
        "/api/v1/files/",
        {"project": project.pk, "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )

    assert upload.status_code == 201, upload.content
    with schema_context(company_a.schema_name):
        assert Attachment.objects.get(project=project).name == "plan.pdf"


def test_notes_of_a_project_are_hidden_from_those_who_do_not_see_it(client_a, client_b, pracownik, outsider, project):
    client_a.login_as(pracownik)
    client_b.login_as(outsider)

    assert client_a.get(f"/notes/project/{project.pk}/notes/").status_code == 404
    assert client_b.get(f"/notes/project/{project.pk}/notes/").status_code == 404
    assert client_b.post(f"/notes/project/{project.pk}/notes/add/", {"body": "x"}).status_code == 404


def test_the_global_search_finds_projects_by_name_for_those_who_see_them(client_a, szef, pracownik, project):
    found = client_a.login_as(szef).get("/search/", {"q": "lodz", "partial": "1"}).content.decode()
    hidden = client_a.login_as(pracownik).get("/search/", {"q": "lodz", "partial": "1"}).content.decode()

    assert "Hala magazynowa Łódź" in found and f"/projects/{project.pk}/" in found
    assert "Hala magazynowa Łódź" not in hidden


def test_the_export_lists_the_visible_projects(client_a, szef, pracownik, project, company_a):
    with schema_context(company_a.schema_name):
        project_make(actor=szef, name="Projekt Pracownika", members=[pracownik])

    response = client_a.login_as(pracownik).get("/projects/export/")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))

    assert response.status_code == 200
    assert rows[0][:2] == ["Nazwa projektu", "Klient"]
    assert [row[0] for row in rows[1:]] == ["Projekt Pracownika"]
    with schema_context(company_a.schema_name):
        assert ActivityEntry.objects.filter(user=pracownik, params__what="projects").exists()


def test_a_deleted_project_comes_back_from_the_trash_with_milestones_and_tasks(client_a, szef, project, company_a):
    with schema_context(company_a.schema_name):
        milestone = milestone_make(project, name="Fundamenty")
        task_in(project, "Wylać beton", milestone=milestone)
    client_a.login_as(szef)

    assert client_a.post(f"/projects/{project.pk}/delete/").status_code == 302

    with schema_context(company_a.schema_name):
        assert not Project.objects.exists() and not Milestone.objects.exists() and not Task.objects.exists()
        entry = TrashEntry.objects.get()
        assert ActivityEntry.objects.filter(code="project.deleted").exists()
    assert "Hala magazynowa Łódź" in client_a.get("/settings/trash/").content.decode()

    response = client_a.post(f"/settings/trash/{entry.pk}/restore/")

    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    with schema_context(company_a.schema_name):
        task = Task.objects.get(title="Wylać beton")
        assert (task.project_id, task.milestone.name) == (project.pk, "Fundamenty")
