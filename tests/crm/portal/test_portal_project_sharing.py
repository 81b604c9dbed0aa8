"""Files of a project shared with the customer and the project's discussion between staff
and the customer's portal users: who sees what, who is told, bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.notifications.models import Notification, NotificationKind
from crm.portal.models import ProjectMessage, SharedProjectFile
from tests.crm.portal.conftest import contact_with_portal, project_file_make, sign_in
from tests.crm.projects.factories import project_make


@pytest.fixture
def project(company_a, portal_contact, szef, pracownik):
    with schema_context(company_a.schema_name):
        return project_make(customer=portal_contact.customer, actor=szef, members=[pracownik])


def test_the_portal_lists_and_serves_only_shared_files(portal_client, company_a, project):
    with schema_context(company_a.schema_name):
        shared = project_file_make(project, name="harmonogram.txt", shared=True, content=b"plan")
        internal = project_file_make(project, name="wycena-wewnetrzna.txt")
    page = portal_client.get(f"/portal/projects/{project.pk}/").content.decode()
    assert "harmonogram.txt" in page and "wycena-wewnetrzna.txt" not in page
    download = portal_client.get(f"/portal/projects/{project.pk}/files/{shared.pk}/")
    assert download.status_code == 200 and download.content == b"plan"
    assert "attachment" in download["Content-Disposition"]
    assert portal_client.get(f"/portal/projects/{project.pk}/files/{internal.pk}/").status_code == 404


def test_staff_who_may_change_the_project_share_and_unshare_a_file(client_a, company_a, project, szef, pracownik):
    with schema_context(company_a.schema_name):
        attachment = project_file_make(project, name="projekt.txt")
    url = f"/projects/{project.pk}/portal/files/{attachment.pk}/share/"
    client_a.login_as(pracownik)  # a member, not the owner: sees the card, may not share
    card = client_a.get(f"/projects/{project.pk}/").content.decode()
    assert "Dyskusja z klientem" in card and "Pokaż klientowi" not in card
    assert client_a.post(url, {"shared": "1"}).status_code == 403
    client_a.login_as(szef)
    assert client_a.post(url, {"shared": "1"}).status_code == 302
    with schema_context(company_a.schema_name):
        assert SharedProjectFile.objects.filter(attachment=attachment).exists()
    assert "widoczny dla klienta" in client_a.get(f"/projects/{project.pk}/").content.decode()
    client_a.post(url, {"shared": "0"})
    with schema_context(company_a.schema_name):
        assert not SharedProjectFile.objects.filter(attachment=attachment).exists()


def test_a_file_of_another_project_cannot_be_shared_through_this_one(client_a, company_a, project, szef):
    with schema_context(company_a.schema_name):
        other = project_make(actor=szef, name="Inny")
        attachment = project_file_make(other, name="cudzy.txt")
    client_a.login_as(szef)
    assert (
        client_a.post(f"/projects/{project.pk}/portal/files/{attachment.pk}/share/", {"shared": "1"}).status_code == 404
    )
    with schema_context(company_a.schema_name):
        assert not SharedProjectFile.objects.exists()


def test_a_customer_message_reaches_the_owner_and_members(
    portal_client, company_a, project, szef, pracownik, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("uwagi.txt", b"uwagi klienta", content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_client.post(
            f"/portal/projects/{project.pk}/messages/", {"body": "Kiedy start?", "file": upload}
        )
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        message = ProjectMessage.objects.get()
        assert message.contact is not None and message.author is None and message.file_name == "uwagi.txt"
        told = set(
            Notification.objects.filter(kind=NotificationKind.PROJECT_MESSAGE).values_list(
                "recipient__email", flat=True
            )
        )
    assert told == {szef.email, pracownik.email}
    assert "Kiedy start?" in portal_client.get(f"/portal/projects/{project.pk}/").content.decode()
    file = portal_client.get(f"/portal/projects/{project.pk}/messages/{message.pk}/file/")
    assert file.status_code == 200 and file.content == b"uwagi klienta"


def test_a_staff_reply_is_on_the_card_in_the_portal_and_in_the_customers_mail(
    client_a, company_a, project, szef, pracownik, portal_contact, monkeypatch, django_capture_on_commit_callbacks
):
    from tenants import queue

    queued: list[tuple[Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(queue, "enqueue", lambda task, *args, **kw: queued.append((task, args)))
    client_a.login_as(pracownik)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(f"/projects/{project.pk}/portal/messages/", {"body": "Startujemy w poniedziałek."})
    assert response.status_code == 302
    assert "Startujemy w poniedziałek." in client_a.get(f"/projects/{project.pk}/").content.decode()
    assert mail.outbox == []  # the request does not wait for SMTP
    [(task, args)] = [(t, a) for t, a in queued if t.name == "portal.project_message_email_send"]
    assert task.apply(args=args, headers={"_schema_name": company_a.schema_name}, throw=True).get() == 1
    assert [m.to for m in mail.outbox] == [[portal_contact.email]]
    assert "Startujemy w poniedziałek." in mail.outbox[0].body
    with schema_context(company_a.schema_name):
        # the owner is told, the author is not
        told = list(
            Notification.objects.filter(kind=NotificationKind.PROJECT_MESSAGE).values_list("recipient_id", flat=True)
        )
    assert told == [szef.pk]
    client_a.logout()
    portal = sign_in(client_a, portal_contact.email)
    assert "Startujemy w poniedziałek." in portal.get(f"/portal/projects/{project.pk}/").content.decode()


def test_staff_who_do_not_see_the_project_cannot_post_or_read(client_a, company_a, project, szef):
    from tests.crm.accounts.factories import UserFactory

    with schema_context(company_a.schema_name):
        from crm.accounts.models import Role

        outsider = UserFactory(email="obcy@alfa.test", role=Role.PRACOWNIK)
        message = ProjectMessage.objects.create(project=project, author=szef, author_name="Szef", body="tajne")
    client_a.login_as(outsider)
    assert client_a.post(f"/projects/{project.pk}/portal/messages/", {"body": "x"}).status_code == 404
    assert client_a.get(f"/projects/{project.pk}/portal/messages/{message.pk}/file/").status_code == 404
    with schema_context(company_a.schema_name):
        assert ProjectMessage.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [{"body": ""}, {"body": "   "}, {"body": "x" * 5001}],
    ids=["empty", "blank", "too long"],
)
def test_a_bad_message_changes_nothing(portal_client, company_a, project, data):
    response = portal_client.post(f"/portal/projects/{project.pk}/messages/", data)
    assert response.status_code == 400
    assert "alert" in response.content.decode() or "invalid-feedback" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.exists()


def test_a_forbidden_attachment_changes_nothing(portal_client, company_a, project):
    upload = SimpleUploadedFile("wirus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = portal_client.post(f"/portal/projects/{project.pk}/messages/", {"body": "plik", "file": upload})
    assert response.status_code == 400 and "niedozwolony" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.exists()


def test_another_customers_contact_sees_neither_files_nor_messages(client_a, company_a, project, szef):
    with schema_context(company_a.schema_name):
        shared = project_file_make(project, name="tylko-dla-anny.txt", shared=True)
        message = ProjectMessage.objects.create(project=project, author=szef, author_name="Szef", body="dla Anny")
    contact_with_portal(company_a, email="obcy@klient.test")
    other = sign_in(client_a, "obcy@klient.test")
    assert other.get(f"/portal/projects/{project.pk}/").status_code == 404
    assert other.get(f"/portal/projects/{project.pk}/files/{shared.pk}/").status_code == 404
    assert other.get(f"/portal/projects/{project.pk}/messages/{message.pk}/file/").status_code == 404
    assert other.post(f"/portal/projects/{project.pk}/messages/", {"body": "wtargnięcie"}).status_code == 404
    with schema_context(company_a.schema_name):
        assert ProjectMessage.objects.count() == 1


def test_a_contact_without_the_projects_permission_cannot_post(client_a, company_a, project, portal_contact):
    contact_with_portal(
        company_a, email="bez-projektow@klient.test", permissions=["invoices"], customer=portal_contact.customer
    )
    client = sign_in(client_a, "bez-projektow@klient.test")
    assert client.post(f"/portal/projects/{project.pk}/messages/", {"body": "x"}).status_code == 404
    with schema_context(company_a.schema_name):
        assert not ProjectMessage.objects.exists()


def test_the_contacts_messages_are_in_their_personal_data(portal_client, company_a, project):
    portal_client.post(f"/portal/projects/{project.pk}/messages/", {"body": "Moja wiadomość"})
    data = portal_client.get("/portal/profile/personal-data/").json()
    assert [m["body"] for m in data["project_messages"]] == ["Moja wiadomość"]


def test_the_project_page_with_files_and_discussion_works_in_english(portal_client, company_a, project):
    with schema_context(company_a.schema_name):
        project_file_make(project, name="plan.txt", shared=True)
    portal_client.cookies["django_language"] = "en"
    page = portal_client.get(f"/portal/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Discussion" in page and "No messages yet." in page and "plan.txt" in page
    assert "Dyskusja" not in page and "Wiadomość" not in page


def test_another_companys_staff_get_not_found_on_the_project_card_actions(client_b, outsider, company_a, project):
    with schema_context(company_a.schema_name):
        attachment = project_file_make(project, name="alfa.txt")
        message = ProjectMessage.objects.create(project=project, author_name="Klient", body="alfa")
    client_b.login_as(outsider)
    client_b.raise_request_exception = False
    assert (
        client_b.post(f"/projects/{project.pk}/portal/files/{attachment.pk}/share/", {"shared": "1"}).status_code == 404
    )
    assert client_b.post(f"/projects/{project.pk}/portal/messages/", {"body": "x"}).status_code == 404
    assert client_b.get(f"/projects/{project.pk}/portal/messages/{message.pk}/file/").status_code == 404
    with schema_context(company_a.schema_name):
        assert not SharedProjectFile.objects.exists() and ProjectMessage.objects.count() == 1


def test_a_kierownik_may_share_files_of_any_project(client_a, company_a, project, kierownik):
    with schema_context(company_a.schema_name):
        attachment = project_file_make(project, name="k.txt")
    client_a.login_as(kierownik)
    assert (
        client_a.post(f"/projects/{project.pk}/portal/files/{attachment.pk}/share/", {"shared": "1"}).status_code == 302
    )
    with schema_context(company_a.schema_name):
        assert SharedProjectFile.objects.filter(attachment=attachment).exists()


def test_anonymising_the_contact_removes_their_messages_and_portal_account(
    portal_client, company_a, project, portal_contact, szef, django_capture_on_commit_callbacks
):
    from crm.portal.models import PortalAccount
    from crm.privacy.anonymise import contact_anonymise

    upload = SimpleUploadedFile("moje.txt", b"prywatne", content_type="text/plain")
    portal_client.post(f"/portal/projects/{project.pk}/messages/", {"body": "Mój numer to 600100200", "file": upload})
    with schema_context(company_a.schema_name):
        message = ProjectMessage.objects.get()
        stored, name = message.file.name, portal_contact.name
        with django_capture_on_commit_callbacks(execute=True):
            contact_anonymise(contact=portal_contact, actor=szef, confirm=portal_contact.name)
        message.refresh_from_db()
        assert "600100200" not in message.body and not message.file and name not in message.author_name
        assert not message.file.storage.exists(stored)
        assert not PortalAccount.objects.filter(contact=portal_contact).exists()
