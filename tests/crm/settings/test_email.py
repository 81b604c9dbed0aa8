"""Settings > E-mail against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from crm.company.crypto import secret_decrypt
from crm.company.mail import company_email_send
from crm.company.models import CompanySettings
from tests.crm.settings.conftest import SMTP_PASSWORD, SMTP_USER


def _form(port: int, **over):
    data = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_user": SMTP_USER,
        "smtp_password": SMTP_PASSWORD,
        "smtp_from": "Biuro Alfa <biuro@alfa.test>",
    }
    data.update(over)
    return data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_smtp_password_is_stored_encrypted_and_never_shown_back(client_a, szef, company_a, smtp_server):
    client_a.login_as(szef)
    assert client_a.post("/settings/email/", _form(smtp_server.port)).status_code == 302
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        assert SMTP_PASSWORD not in row.smtp_password_encrypted
        assert secret_decrypt(row.smtp_password_encrypted) == SMTP_PASSWORD
    page = client_a.get("/settings/email/").content.decode()
    assert SMTP_PASSWORD not in page
    assert row.smtp_password_encrypted not in page
    assert 'data-testid="password-stored"' in page


def test_blank_password_keeps_the_stored_one_and_clear_removes_it(client_a, szef, company_a, smtp_server):
    client_a.login_as(szef)
    client_a.post("/settings/email/", _form(smtp_server.port))
    client_a.post("/settings/email/", _form(smtp_server.port, smtp_password="", smtp_from="nowy@alfa.test"))
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        assert secret_decrypt(row.smtp_password_encrypted) == SMTP_PASSWORD
        assert row.smtp_from == "nowy@alfa.test"
    client_a.post("/settings/email/", _form(smtp_server.port, smtp_password="", smtp_password_clear="on"))
    with schema_context(company_a.schema_name):
        assert CompanySettings.current().smtp_password_encrypted == ""


def test_test_button_sends_through_the_server_and_reports_its_answer(client_a, szef, smtp_server):
    client_a.login_as(szef)
    client_a.post("/settings/email/", _form(smtp_server.port))
    response = client_a.post("/settings/email/test/", {"to": "odbiorca@example.com"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "250 Message accepted for delivery" in html
    assert len(smtp_server.sink.messages) == 1
    envelope = smtp_server.sink.messages[0]
    assert envelope.mail_from == "biuro@alfa.test"
    assert envelope.rcpt_tos == ["odbiorca@example.com"]
    assert b"Test poczty ImCRM" in envelope.original_content


def test_wrong_smtp_password_is_reported_with_the_servers_answer(client_a, szef, smtp_server):
    client_a.login_as(szef)
    client_a.post("/settings/email/", _form(smtp_server.port, smtp_password="zle-haslo"))
    response = client_a.post("/settings/email/test/", {"to": "odbiorca@example.com"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Serwer nie przyjął loginu lub hasła" in html
    assert "535" in html
    assert smtp_server.sink.messages == []


def test_unreachable_server_is_reported(client_a, szef):
    client_a.login_as(szef)
    client_a.post("/settings/email/", _form(_free_port()))
    response = client_a.post("/settings/email/test/", {"to": "odbiorca@example.com"})
    assert response.status_code == 400
    assert "Nie udało się połączyć z serwerem" in response.content.decode()


def test_starttls_against_a_server_without_it_is_reported(client_a, szef, smtp_server):
    client_a.login_as(szef)
    client_a.post("/settings/email/", _form(smtp_server.port, smtp_security="starttls"))
    response = client_a.post("/settings/email/test/", {"to": "odbiorca@example.com"})
    assert response.status_code == 400
    assert "nie obsługuje wybranego szyfrowania" in response.content.decode()


def test_company_mail_goes_through_the_company_server_when_set(company_a, smtp_server, company_settings_a):
    from crm.company.crypto import secret_encrypt

    with schema_context(company_a.schema_name):
        assert company_email_send(subject="Bez SMTP", body="x", to=["a@example.com"]) == 1
    assert [m.subject for m in mail.outbox] == ["Bez SMTP"]  # the service's default backend
    company_settings_a(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
        smtp_user=SMTP_USER,
        smtp_password_encrypted=secret_encrypt(SMTP_PASSWORD),
        smtp_from="biuro@alfa.test",
    )
    with schema_context(company_a.schema_name):
        assert company_email_send(subject="Przez SMTP firmy", body="treść", to=["b@example.com"]) == 1
    assert len(mail.outbox) == 1
    assert len(smtp_server.sink.messages) == 1
    assert smtp_server.sink.messages[0].mail_from == "biuro@alfa.test"
    assert b"Przez SMTP firmy" in smtp_server.sink.messages[0].original_content


def test_company_b_mail_does_not_use_company_a_server(company_a, company_b, smtp_server, company_settings_a):
    company_settings_a(smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_security="none", smtp_from="a@alfa.test")
    with schema_context(company_b.schema_name):
        company_email_send(subject="Od B", body="x", to=["c@example.com"])
    assert smtp_server.sink.messages == []
    assert [m.subject for m in mail.outbox] == ["Od B"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("smtp_port", "70000", "mniejsza lub równa 65535"),
        ("smtp_host", "zły host!", "Podaj nazwę serwera"),
        ("smtp_from", "nie adres", "Podaj adres nadawcy"),
        ("smtp_from", "", "Podaj adres nadawcy"),
        ("smtp_security", "telnet", "Wybierz poprawną wartość"),
    ],
)
def test_bad_email_settings_are_refused_and_nothing_is_saved(client_a, szef, company_a, field, value, message):
    response = client_a.login_as(szef).post("/settings/email/", _form(2525, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        assert row.smtp_host == "" and row.smtp_password_encrypted == ""


def test_smtp_servers_inside_the_service_network_are_refused_in_production(client_a, szef, settings):
    settings.IMCRM_SMTP_ALLOW_PRIVATE_HOSTS = False
    client_a.login_as(szef)
    client_a.post("/settings/email/", _form(25, smtp_host="localhost"))
    response = client_a.post("/settings/email/test/", {"to": "odbiorca@example.com"})
    assert response.status_code == 400
    assert "sieć wewnętrzną" in response.content.decode()


def test_test_button_without_a_server_explains_what_to_do(client_a, szef):
    response = client_a.login_as(szef).post("/settings/email/test/", {"to": "odbiorca@example.com"})
    assert response.status_code == 400
    assert "Najpierw podaj i zapisz serwer SMTP" in response.content.decode()
