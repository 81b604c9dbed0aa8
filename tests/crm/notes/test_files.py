from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.notes.models import Attachment
from tests.crm.contacts.factories import deal_make, task_make

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, kind, pk, name, content, content_type="application/octet-stream"):
    return client.post(
        f"/notes/{kind}/{pk}/files/upload/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        HTTP_HX_REQUEST="true",
    )


def test_staff_uploads_a_pdf_and_downloads_it_back(client_a, szef, customer, company_a, media):
    client_a.login_as(szef)
    response = upload(client_a, "customer", customer.pk, "Umowa ramowa.pdf", PDF)
    assert response.status_code == 200
    assert "Umowa ramowa.pdf" in response.content.decode()
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
        stored = Path(item.file.path)
    assert item.content_type == "application/pdf"
    assert stored.is_relative_to(media / company_a.schema_name)
    assert stored.read_bytes() == PDF

    download = client_a.get(f"/notes/file/{item.pk}/")

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment;" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"


def test_file_over_the_size_limit_is_refused_and_not_stored(client_a, szef, customer, company_a, settings, media):
    settings.IMCRM_ATTACHMENT_MAX_BYTES = 1024
    client_a.login_as(szef)
    response = upload(client_a, "customer", customer.pk, "duzy.pdf", PDF + b"0" * 2000)
    assert response.status_code == 422
    assert "Plik jest za duży" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "Ten rodzaj pliku jest niedozwolony"),
        ("strona.html", b"<html><script>alert(1)</script>", "Ten rodzaj pliku jest niedozwolony"),
        ("obrazek.svg", b"<svg onload=alert(1)>", "Ten rodzaj pliku jest niedozwolony"),
        ("udawany.pdf", b"<html>not a pdf</html>", "Zawartość pliku nie pasuje"),
        ("zdjecie.png", PDF, "Zawartość pliku nie pasuje"),
        ("notatka.txt", b"<script>alert(1)</script>", "Zawartość pliku nie pasuje"),
    ],
)
def test_disallowed_or_disguised_files_are_refused(client_a, szef, customer, company_a, name, content, message):
    client_a.login_as(szef)
    response = upload(client_a, "customer", customer.pk, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Attachment.objects.exists()


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\windows\\passwd.txt", "/abs/path/passwd.txt"])
def test_path_in_the_file_name_is_stripped_and_the_file_stays_in_the_company_folder(
    client_a, szef, customer, company_a, media, name
):
    client_a.login_as(szef)
    response = upload(client_a, "customer", customer.pk, name, b"tekst pliku")
    assert response.status_code == 200
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
        stored = Path(item.file.path).resolve()
    assert item.name == "passwd.txt"
    assert stored.is_relative_to((media / company_a.schema_name).resolve())
    assert ".." not in item.file.name


def test_files_are_never_served_from_a_public_media_url(client_a, szef, customer, company_a):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "umowa.pdf", PDF)
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
    assert client_a.get(f"/media/{company_a.schema_name}/{item.file.name}").status_code == 404
    client_a.logout()
    response = client_a.get(f"/notes/file/{item.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_outsider_cannot_download_upload_or_delete_files_of_another_company(
    client_a, client_b, szef, outsider, customer, company_a
):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "umowa.pdf", PDF)
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
    client_b.login_as(outsider)
    assert client_b.get(f"/notes/file/{item.pk}/").status_code == 404
    assert client_b.post(f"/notes/file/{item.pk}/delete/").status_code == 404
    assert upload(client_b, "customer", customer.pk, "x.pdf", PDF).status_code == 404
    with schema_context(company_a.schema_name):
        assert Attachment.objects.count() == 1


def test_restricted_pracownik_cannot_download_files_of_a_customer_they_do_not_own(
    client_a, szef, pracownik, customer, company_a, restricted_pracownik
):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "umowa.pdf", PDF)
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
    client_a.login_as(pracownik)
    assert client_a.get(f"/notes/file/{item.pk}/").status_code == 404


def test_uploader_deletes_a_file_but_another_pracownik_may_not(client_a, szef, pracownik, customer, company_a):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "umowa.pdf", PDF)
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
    client_a.login_as(pracownik)
    assert client_a.post(f"/notes/file/{item.pk}/delete/").status_code == 403
    client_a.login_as(szef)
    assert client_a.post(f"/notes/file/{item.pk}/delete/", HTTP_HX_REQUEST="true").status_code == 200
    with schema_context(company_a.schema_name):
        assert not Attachment.objects.exists()


def test_files_attach_to_deals_and_tasks_too(client_a, szef, customer, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(customer, owner=szef)
        task = task_make(customer=customer, assignee=szef)
    client_a.login_as(szef)
    assert upload(client_a, "deal", deal.pk, "oferta.pdf", PDF).status_code == 200
    assert upload(client_a, "task", task.pk, "lista.csv", b"a;b\n1;2\n").status_code == 200
    with schema_context(company_a.schema_name):
        assert Attachment.objects.get(deal=deal).customer_id == customer.pk
        assert Attachment.objects.get(task=task).content_type == "text/csv"


def test_upload_without_a_file_says_so(client_a, szef, customer):
    client_a.login_as(szef)
    response = client_a.post(f"/notes/customer/{customer.pk}/files/upload/", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Wybierz plik do wysłania." in response.content.decode()


def test_deleting_a_customer_removes_its_files_from_disk(
    client_a, szef, customer, company_a, django_capture_on_commit_callbacks
):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "umowa.pdf", PDF)
    with schema_context(company_a.schema_name):
        stored = Path(Attachment.objects.get().file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_a.post(f"/customers/{customer.pk}/delete/").status_code == 302
    assert not stored.exists()


def test_deleting_a_file_removes_it_from_disk(client_a, szef, customer, company_a, django_capture_on_commit_callbacks):
    client_a.login_as(szef)
    upload(client_a, "customer", customer.pk, "umowa.pdf", PDF)
    with schema_context(company_a.schema_name):
        item = Attachment.objects.get()
        stored = Path(item.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(f"/notes/file/{item.pk}/delete/")
    assert not stored.exists()
