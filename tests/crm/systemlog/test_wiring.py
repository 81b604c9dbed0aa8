"""The places that fail today write to the system log: company e-mail (with the SMTP
server's answer), customer imports (failed or with rows left out), KSeF answers."""

from __future__ import annotations

import smtplib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.company.mail import company_email_send
from crm.contacts.imports import import_prepare, import_run
from crm.contacts.models import CustomerImport, ImportStatus
from crm.systemlog.models import SystemEvent
from tests.support.fake_smtp import smtp_server_running


def _events(company, kind):
    with schema_context(company.schema_name):
        return list(SystemEvent.objects.filter(kind=kind).order_by("id"))


@pytest.fixture
def refusing_smtp(company_settings_a):
    with smtp_server_running(refuse=["nikt@example.com"]) as server:
        company_settings_a(
            smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="biuro@alfa.test"
        )
        yield server


def test_a_refused_message_is_logged_with_the_smtp_answer(company_a, refusing_smtp):
    with schema_context(company_a.schema_name), pytest.raises(smtplib.SMTPRecipientsRefused):
        company_email_send(subject="Oferta OF/1", body="treść", to=["nikt@example.com"])
    [event] = _events(company_a, "email_failed")
    assert "Oferta OF/1" in event.message and "nikt@example.com" in event.message
    assert "550 5.1.1 No such user here" in event.message
    assert "550 5.1.1 No such user here" in event.detail


def test_a_server_that_does_not_answer_is_logged(company_a, company_settings_a):
    from tests.support.fake_smtp import free_port

    company_settings_a(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none", smtp_from="a@alfa.test")
    with schema_context(company_a.schema_name), pytest.raises(OSError):
        company_email_send(subject="Faktura FV/1", body="x", to=["klient@example.com"])
    [event] = _events(company_a, "email_failed")
    assert "Faktura FV/1" in event.message and "ConnectionRefusedError" in event.detail


def test_a_sent_message_logs_nothing(company_a, refusing_smtp):
    with schema_context(company_a.schema_name):
        assert company_email_send(subject="Dotarła", body="x", to=["ktos@example.com"]) == 1
    assert _events(company_a, "email_failed") == []


def test_an_invitation_that_cannot_be_sent_is_in_the_log(client_a, company_a, szef, refusing_smtp):
    client_a.login_as(szef)
    client_a.post("/settings/users/", {"email": "nikt@example.com", "role": "pracownik"})
    [event] = _events(company_a, "email_failed")
    assert "nikt@example.com" in event.message


def _import(company, user, content, name="klienci.csv"):
    with schema_context(company.schema_name):
        job = import_prepare(upload=SimpleUploadedFile(name, content.encode(), content_type="text/csv"), user=user)
        job.status = ImportStatus.QUEUED
        job.save()
        return import_run(job.pk)


def test_an_import_with_rows_left_out_is_a_partial_import_in_the_log(company_a, szef):
    job = _import(company_a, szef, "Nazwa;E-mail\nDobra Firma;biuro@dobra.pl\n;bez-nazwy@x.pl\nZły;zly-email\n")
    assert job.status == ImportStatus.DONE and job.error_count == 2
    [event] = _events(company_a, "import_partial")
    assert event.level == "warning"
    assert "klienci.csv" in event.message and "2" in event.message
    assert event.object_type == "contacts.customerimport" and event.object_id == str(job.pk)
    assert "Brak nazwy klienta." in event.detail


def test_a_clean_import_logs_nothing(company_a, szef):
    _import(company_a, szef, "Nazwa;E-mail\nDobra Firma;biuro@dobra.pl\n")
    assert _events(company_a, "import_partial") == [] and _events(company_a, "import_failed") == []


def test_a_failed_import_is_in_the_log_with_the_reason(company_a, szef):
    with schema_context(company_a.schema_name):
        job = import_prepare(
            upload=SimpleUploadedFile("zle.csv", b"Nazwa;E-mail\nFirma;a@b.pl\n", content_type="text/csv"), user=szef
        )
        CustomerImport.objects.filter(pk=job.pk).update(mapping={"email": 1}, status=ImportStatus.QUEUED)
        finished = import_run(job.pk)
    assert finished.status == ImportStatus.FAILED
    [event] = _events(company_a, "import_failed")
    assert "zle.csv" in event.message and "Wskaż kolumnę z nazwą klienta" in event.message
