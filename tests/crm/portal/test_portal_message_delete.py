"""Deleting a message of a project's discussion with the customer: staff delete their own
(Szef any, a customer's only Szef), a portal user their own within 15 minutes; the message
stays in the thread as "Wiadomość usunięta" without its text and file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.portal.discussion import project_message_mail_send
from crm.portal.models import ProjectMessage
from tests.crm.portal.conftest import contact_with_portal, sign_in
from tests.crm.projects.factories import project_make


@pytest.fixture
def project(company_a, portal_contact, szef, pracownik):
    with schema_context(company_a.schema_name):
        return project_make(customer=portal_contact.customer, actor=szef, members=[pracownik])


def _message(project, *, author=None, contact=None, body="Treść", file: bytes | None = None) -> ProjectMessage:
    name = str(author if author is not None else contact.name)
    message = ProjectMessage(project=project, author=author, contact=contact, author_name=name, body=body)
    if file is not None:
        message.file_name = "zalacznik.txt"
        message.file.save("zalacznik.txt", ContentFile(file), save=False)
    message.save()
    return message


def test_the_author_deletes_their_message_and_both_sides_see_it_was_deleted(
    client_a, company_a, project, pracownik, portal_contact, django_capture_on_commit_callbacks
):
    with schema_context(company_a.schema_name):
        message = _message(project, author=pracownik, body="Cena to 12 000 zł", file=b"wycena")
        stored = message.file.name
    client_a.login_as(pracownik)
    card = client_a.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="project-message-delete"' in card
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(f"/projects/{project.pk}/portal/messages/{message.pk}/delete/")
    assert response.status_code == 302
    card = client_a.get(f"/projects/{project.pk}/").content.decode()
    assert "Wiadomość usunięta" in card and "12 000" not in card and "zalacznik.txt" not in card
    with schema_context(company_a.schema_name):
        message.refresh_from_db()
        assert message.is_deleted and message.body == "" and not message.file
        assert not message.file.storage.exists(stored)
        entry = ActivityEntry.objects.get(code="portal.message_deleted")
        assert entry.user == pracownik and "12 000" not in entry.message
    assert client_a.get(f"/projects/{project.pk}/portal/messages/{message.pk}/file/").status_code == 404
    client_a.logout()
    portal = sign_in(client_a, portal_contact.email)
    page = portal.get(f"/portal/projects/{project.pk}/").content.decode()
    assert "Wiadomość usunięta" in page and "12 000" not in page


def test_a_colleague_cannot_delete_someone_elses_message_but_szef_can(
    client_a, company_a, project, pracownik, kierownik, szef
):
    with schema_context(company_a.schema_name):
        message = _message(project, author=pracownik, body="Moja wiadomość")
    url = f"/projects/{project.pk}/portal/messages/{message.pk}/delete/"
    client_a.login_as(kierownik)
    assert 'data-testid="project-message-delete"' not in client_a.get(f"/projects/{project.pk}/").content.decode()
    assert client_a.post(url).status_code == 403
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.get(pk=message.pk).is_deleted
    client_a.login_as(szef)
    assert client_a.post(url).status_code == 302
    with schema_context(company_a.schema_name):
        assert ProjectMessage.objects.get(pk=message.pk).is_deleted


def test_only_szef_deletes_a_customers_message(client_a, company_a, project, pracownik, szef, portal_contact):
    with schema_context(company_a.schema_name):
        message = _message(project, contact=portal_contact, body="Pytanie klienta")
    url = f"/projects/{project.pk}/portal/messages/{message.pk}/delete/"
    client_a.login_as(pracownik)
    assert client_a.post(url).status_code == 403
    client_a.login_as(szef)
    assert client_a.post(url).status_code == 302
    with schema_context(company_a.schema_name):
        assert ProjectMessage.objects.get(pk=message.pk).is_deleted


def test_staff_who_do_not_see_the_project_and_another_company_get_not_found(
    client_a, client_b, company_a, project, szef, outsider
):
    from crm.accounts.models import Role
    from tests.crm.accounts.factories import UserFactory

    with schema_context(company_a.schema_name):
        message = _message(project, author=szef, body="Tajne")
        stranger = UserFactory(email="obca@alfa.test", role=Role.PRACOWNIK)
    url = f"/projects/{project.pk}/portal/messages/{message.pk}/delete/"
    client_a.login_as(stranger)
    assert client_a.post(url).status_code == 404
    client_b.login_as(outsider)
    client_b.raise_request_exception = False
    assert client_b.post(url).status_code == 404
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.get(pk=message.pk).is_deleted


def test_a_portal_user_takes_back_their_own_message_within_15_minutes(portal_client, company_a, project):
    portal_client.post(f"/portal/projects/{project.pk}/messages/", {"body": "Pomyłka, nie ten projekt"})
    with schema_context(company_a.schema_name):
        message = ProjectMessage.objects.get()
    page = portal_client.get(f"/portal/projects/{project.pk}/").content.decode()
    assert 'data-testid="project-message-delete"' in page
    response = portal_client.post(f"/portal/projects/{project.pk}/messages/{message.pk}/delete/", follow=True)
    page = response.content.decode()
    assert "Wiadomość usunięta" in page and "Pomyłka" not in page
    with schema_context(company_a.schema_name):
        assert ProjectMessage.objects.get(pk=message.pk).is_deleted
        assert ActivityEntry.objects.filter(code="portal.message_deleted", user_label="anna@klient.test").exists()


def test_after_15_minutes_the_portal_user_can_no_longer_delete(portal_client, company_a, project):
    portal_client.post(f"/portal/projects/{project.pk}/messages/", {"body": "Stara wiadomość"})
    with schema_context(company_a.schema_name):
        message = ProjectMessage.objects.get()
        ProjectMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    assert (
        'data-testid="project-message-delete"'
        not in portal_client.get(f"/portal/projects/{project.pk}/").content.decode()
    )
    response = portal_client.post(f"/portal/projects/{project.pk}/messages/{message.pk}/delete/", follow=True)
    assert "tylko przez 15 minut" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert ProjectMessage.objects.get(pk=message.pk).body == "Stara wiadomość"


def test_a_portal_user_cannot_delete_staff_or_a_colleagues_message(client_a, company_a, project, szef, portal_contact):
    colleague = contact_with_portal(company_a, email="kolega@klient.test", customer=portal_contact.customer)
    with schema_context(company_a.schema_name):
        staff = _message(project, author=szef, body="Od firmy")
        theirs = _message(project, contact=colleague, body="Od kolegi")
    portal = sign_in(client_a, portal_contact.email)
    for message in (staff, theirs):
        portal.post(f"/portal/projects/{project.pk}/messages/{message.pk}/delete/")
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.filter(deleted_at__isnull=False).exists()


def test_another_customers_portal_user_gets_not_found(client_a, company_a, project, portal_contact):
    with schema_context(company_a.schema_name):
        message = _message(project, contact=portal_contact, body="Anny")
    contact_with_portal(company_a, email="obcy@klient.test")
    other = sign_in(client_a, "obcy@klient.test")
    assert other.post(f"/portal/projects/{project.pk}/messages/{message.pk}/delete/").status_code == 404
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.get(pk=message.pk).is_deleted


def test_a_staff_message_deleted_before_the_mail_went_out_is_not_mailed(company_a, project, szef, portal_contact):
    from crm.portal.discussion import message_delete

    with schema_context(company_a.schema_name):
        message = _message(project, author=szef, body="Wysłane przez pomyłkę")
        message_delete(message=message, actor=szef)
        assert project_message_mail_send(message_id=message.pk) == 0


def test_a_deleted_message_reads_in_english(portal_client, company_a, project, szef):
    with schema_context(company_a.schema_name):
        message = _message(project, author=szef, body="x")
        ProjectMessage.objects.filter(pk=message.pk).update(deleted_at=timezone.now(), body="")
    portal_client.cookies["django_language"] = "en"
    page = portal_client.get(f"/portal/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Message deleted" in page and "Wiadomość usunięta" not in page
