"""The API of a project's discussion with the customer and of its files
(/api/v1/projects/<id>/messages/, /api/v1/projects/<id>/files/): the rules of the
project card, another company's or an unseen project is a 404, bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.notes.models import Attachment
from crm.portal.models import ProjectMessage, SharedProjectFile
from tests.crm.portal.conftest import project_file_make
from tests.crm.projects.factories import project_make


@pytest.fixture
def project(company_a, portal_contact, kierownik, pracownik):
    """Owned by Kierownik; Pracownik is a member."""
    with schema_context(company_a.schema_name):
        return project_make(customer=portal_contact.customer, actor=kierownik, members=[pracownik])


def test_a_member_reads_and_writes_the_discussion(api_pracownik, company_a, project, portal_contact, pracownik):
    with schema_context(company_a.schema_name):
        ProjectMessage.objects.create(
            project=project, contact=portal_contact, author_name=portal_contact.name, body="Kiedy start?"
        )
    url = f"/api/v1/projects/{project.pk}/messages/"
    response = api_pracownik.post(url, {"body": "W poniedziałek."}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["author"] == pracownik.pk and response.json()["from_customer"] is False
    upload = SimpleUploadedFile("plan.txt", b"plan", content_type="text/plain")
    with_file = api_pracownik.post(url, {"body": "Plan w załączniku.", "file": upload})
    assert with_file.status_code == 201 and with_file.json()["file_name"] == "plan.txt"
    assert api_pracownik.get(with_file.json()["file_url"]).content == b"plan"
    rows = api_pracownik.get(url).json()["results"]
    assert [(r["body"], r["from_customer"]) for r in rows] == [
        ("Kiedy start?", True),
        ("W poniedziałek.", False),
        ("Plan w załączniku.", False),
    ]


@pytest.mark.parametrize(
    "data", [{"body": ""}, {"body": "   "}, {"body": "x" * 5001}, {}], ids=["empty", "blank", "too long", "none"]
)
def test_a_bad_message_is_refused_in_polish_and_changes_nothing(api_pracownik, company_a, project, data):
    response = api_pracownik.post(f"/api/v1/projects/{project.pk}/messages/", data, content_type="application/json")
    assert response.status_code == 400 and "body" in response.json()
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.exists()


def test_a_forbidden_attachment_is_refused_and_changes_nothing(api_pracownik, company_a, project):
    upload = SimpleUploadedFile("wirus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = api_pracownik.post(f"/api/v1/projects/{project.pk}/messages/", {"body": "plik", "file": upload})
    assert response.status_code == 400 and "niedozwolony" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.exists()


def test_a_message_is_deleted_by_its_author_or_szef_and_a_customers_only_by_szef(
    api_pracownik, api_kierownik, api_szef, company_a, project, portal_contact, pracownik
):
    with schema_context(company_a.schema_name):
        own = ProjectMessage.objects.create(project=project, author=pracownik, author_name="P", body="moja")
        customers = ProjectMessage.objects.create(
            project=project, contact=portal_contact, author_name=portal_contact.name, body="klienta"
        )
    base = f"/api/v1/projects/{project.pk}/messages/"
    assert api_kierownik.delete(f"{base}{own.pk}/").status_code == 403
    assert api_pracownik.delete(f"{base}{customers.pk}/").status_code == 403
    assert api_pracownik.delete(f"{base}{own.pk}/").status_code == 204
    assert api_szef.delete(f"{base}{customers.pk}/").status_code == 204
    rows = {r["id"]: r for r in api_szef.get(base).json()["results"]}
    assert rows[own.pk]["deleted"] and rows[own.pk]["body"] == ""
    assert rows[customers.pk]["deleted"] and rows[customers.pk]["body"] == ""


def test_a_pracownik_who_does_not_see_the_project_gets_not_found(api_pracownik, company_a, portal_contact):
    with schema_context(company_a.schema_name):
        hidden = project_make(customer=portal_contact.customer, name="Cudzy projekt")
        attachment = project_file_make(hidden, name="cudzy.txt")
        message = ProjectMessage.objects.create(project=hidden, author_name="Szef", body="x")
    client = api_pracownik
    for url in (
        f"/api/v1/projects/{hidden.pk}/messages/",
        f"/api/v1/projects/{hidden.pk}/messages/{message.pk}/",
        f"/api/v1/projects/{hidden.pk}/files/",
        f"/api/v1/projects/{hidden.pk}/files/{attachment.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.delete(f"/api/v1/projects/{hidden.pk}/files/{attachment.pk}/").status_code == 404


def test_another_company_gets_not_found_and_changes_nothing(api_outsider, company_a, project, portal_contact):
    with schema_context(company_a.schema_name):
        attachment = project_file_make(project, name="alfa.txt")
        message = ProjectMessage.objects.create(project=project, author_name="Szef", body="alfa")
    api_outsider.raise_request_exception = False
    messages, files = f"/api/v1/projects/{project.pk}/messages/", f"/api/v1/projects/{project.pk}/files/"
    assert api_outsider.get(messages).status_code == 404
    assert api_outsider.post(messages, {"body": "x"}, content_type="application/json").status_code == 404
    assert api_outsider.delete(f"{messages}{message.pk}/").status_code == 404
    assert api_outsider.get(files).status_code == 404
    assert (
        api_outsider.patch(f"{files}{attachment.pk}/", {"shared": True}, content_type="application/json").status_code
        == 404
    )
    assert api_outsider.delete(f"{files}{attachment.pk}/").status_code == 404
    with schema_context(company_a.schema_name):
        assert ProjectMessage.objects.get(pk=message.pk).body == "alfa"
        assert Attachment.objects.filter(pk=attachment.pk).exists() and not SharedProjectFile.objects.exists()


def test_files_are_listed_with_whether_the_customer_sees_them(api_pracownik, company_a, project):
    with schema_context(company_a.schema_name):
        project_file_make(project, name="wewnetrzny.txt")
        project_file_make(project, name="harmonogram.txt", shared=True)
    rows = api_pracownik.get(f"/api/v1/projects/{project.pk}/files/").json()["results"]
    assert {r["name"]: r["shared"] for r in rows} == {"wewnetrzny.txt": False, "harmonogram.txt": True}
    assert all(r["download_url"].startswith("/api/v1/files/") for r in rows)


def test_whoever_changes_the_project_shows_a_file_to_the_customer(api_pracownik, api_kierownik, company_a, project):
    with schema_context(company_a.schema_name):
        attachment = project_file_make(project, name="plan.txt")
    url = f"/api/v1/projects/{project.pk}/files/{attachment.pk}/"
    refused = api_pracownik.patch(url, {"shared": True}, content_type="application/json")
    assert refused.status_code == 403 and "opiekun" in refused.json()["detail"]
    shown = api_kierownik.patch(url, {"shared": True}, content_type="application/json")
    assert shown.status_code == 200 and shown.json()["shared"] is True and shown.json()["shared_at"]
    with schema_context(company_a.schema_name):
        assert SharedProjectFile.objects.filter(attachment=attachment).exists()
    hidden = api_kierownik.patch(url, {"shared": False}, content_type="application/json")
    assert hidden.json()["shared"] is False
    assert api_kierownik.patch(url, {"shared": "może"}, content_type="application/json").status_code == 400


def test_a_member_uploads_a_file_but_only_the_project_changer_shares_it_at_once(
    api_pracownik, api_kierownik, company_a, project, pracownik
):
    url = f"/api/v1/projects/{project.pk}/files/"
    upload = SimpleUploadedFile("notatki.txt", b"notatki", content_type="text/plain")
    added = api_pracownik.post(url, {"file": upload})
    assert added.status_code == 201 and added.json()["shared"] is False
    assert added.json()["uploaded_by"] == pracownik.pk and added.json()["project"] == project.pk
    refused = api_pracownik.post(url, {"file": SimpleUploadedFile("b.txt", b"b"), "shared": "true"})
    assert refused.status_code == 403
    shared = api_kierownik.post(url, {"file": SimpleUploadedFile("c.txt", b"c"), "shared": "true"})
    assert shared.status_code == 201 and shared.json()["shared"] is True
    assert api_pracownik.post(url, {"file": SimpleUploadedFile("wirus.exe", b"MZ")}).status_code == 400
    with schema_context(company_a.schema_name):
        assert sorted(Attachment.objects.filter(project=project).values_list("name", flat=True)) == [
            "c.txt",
            "notatki.txt",
        ]


def test_a_file_is_deleted_by_who_added_it_kierownik_or_szef(api_pracownik, api_kierownik, company_a, project):
    with schema_context(company_a.schema_name):
        attachment = project_file_make(project, name="cudzy.txt")  # added by nobody in particular
    url = f"/api/v1/projects/{project.pk}/files/{attachment.pk}/"
    assert api_pracownik.delete(url).status_code == 403
    assert api_kierownik.delete(url).status_code == 204
    with schema_context(company_a.schema_name):
        assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_file_of_another_project_is_not_reachable_through_this_one(api_szef, company_a, project):
    with schema_context(company_a.schema_name):
        other = project_make(name="Inny")
        attachment = project_file_make(other, name="inny.txt")
    url = f"/api/v1/projects/{project.pk}/files/{attachment.pk}/"
    assert api_szef.patch(url, {"shared": True}, content_type="application/json").status_code == 404
    assert api_szef.delete(url).status_code == 404
    with schema_context(company_a.schema_name):
        assert not SharedProjectFile.objects.exists() and Attachment.objects.filter(pk=attachment.pk).exists()
