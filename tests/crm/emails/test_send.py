"""Writing to a customer from its card and through /api/v1/emails/: the message goes out
through the company's own SMTP server (a real one on 127.0.0.1), is stored with its files
and shows on the customer's timeline; a refusal by the server is kept on the message and
shown; bad input stores and sends nothing; a restricted Pracownik writes only to his
customers; another company's e-mail is a 404."""

from __future__ import annotations

import email as email_lib
from email import policy

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.company.models import EmailTemplate
from crm.emails.models import CustomerEmail, EmailStatus
from crm.systemlog.models import SystemEvent
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.support.fake_smtp import smtp_server_running
from tests.support.systemlog import system_events_clear


def _smtp(company_settings_a, server):
    company_settings_a(
        smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="Alfa <biuro@alfa.test>"
    )


def test_an_email_written_on_the_card_goes_out_through_the_companys_smtp_and_shows_on_the_timeline(
    client_a, company_a, szef, company_settings_a, worker
):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Śrubex", email="biuro@srubex.test")
        contact = ContactPersonFactory(customer=customer, name="Anna Nowak", email="anna@srubex.test")
    client_a.login_as(szef)

    with smtp_server_running() as server:
        _smtp(company_settings_a, server)
        form = client_a.get(f"/emails/customer/{customer.pk}/new/?contact={contact.pk}").content.decode()
        with worker():
            response = client_a.post(
                f"/emails/customer/{customer.pk}/new/",
                {
                    "contact": contact.pk,
                    "to": "anna@srubex.test",
                    "cc": "biuro@srubex.test",
                    "subject": "Oferta na śruby",
                    "body": "Dzień dobry, w załączniku cennik.",
                    "attachments": [SimpleUploadedFile("cennik.pdf", b"%PDF-1.4 cennik", "application/pdf")],
                },
            )

    assert 'value="anna@srubex.test"' in form
    assert response.status_code == 302
    [envelope] = server.sink.messages
    assert sorted(envelope.rcpt_tos) == ["anna@srubex.test", "biuro@srubex.test"]
    message = email_lib.message_from_bytes(envelope.content, policy=policy.default)
    assert message["From"] == "Alfa <biuro@alfa.test>" and message["Cc"] == "biuro@srubex.test"
    assert "Oferta na śruby" in message["Subject"] and message["Reply-To"] == szef.email
    assert b"cennik.pdf" in envelope.content
    with schema_context(company_a.schema_name):
        stored = CustomerEmail.objects.get()
        assert (stored.status, stored.sender_id, stored.contact_id) == (EmailStatus.SENT, szef.pk, contact.pk)
        assert stored.sent_at is not None and [a.name for a in stored.attachments.all()] == ["cennik.pdf"]
    timeline = client_a.get(f"/customers/{customer.pk}/?tab=timeline").content.decode()
    assert "Oferta na śruby" in timeline and f"/emails/{stored.pk}/" in timeline
    detail = client_a.get(f"/emails/{stored.pk}/").content.decode()
    assert "w załączniku cennik" in detail and "cennik.pdf" in detail


def test_a_refusal_by_the_server_is_kept_on_the_message_shown_and_logged(
    client_a, company_a, szef, company_settings_a, worker
):
    system_events_clear()
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(email="zly@srubex.test")
    client_a.login_as(szef)
    with smtp_server_running(refuse=["zly@srubex.test"]) as server:
        _smtp(company_settings_a, server)
        with worker():
            client_a.post(
                f"/emails/customer/{customer.pk}/new/", {"to": "zly@srubex.test", "subject": "Test", "body": "Treść"}
            )

    with schema_context(company_a.schema_name):
        stored = CustomerEmail.objects.get()
        assert stored.status == EmailStatus.FAILED and "550" in stored.error
        assert SystemEvent.objects.filter(kind="email_failed", message__contains="zly@srubex.test").exists()
    system_events_clear()
    timeline = client_a.get(f"/customers/{customer.pk}/?tab=timeline").content.decode()
    assert "nie wysłano" in timeline and "No such user" in timeline


def test_bad_input_stores_and_sends_nothing_and_says_why_in_polish(client_a, company_a, szef, worker):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        other_contact = ContactPersonFactory()
    client_a.login_as(szef)

    with worker():
        empty = client_a.post(f"/emails/customer/{customer.pk}/new/", {"to": "", "subject": " ", "body": ""})
        wrong = client_a.post(
            f"/emails/customer/{customer.pk}/new/", {"to": "a@b.test, nie-adres", "subject": "S", "body": "B"}
        )
        foreign = client_a.post(
            f"/emails/customer/{customer.pk}/new/",
            {"to": "a@b.test", "subject": "S", "body": "B", "contact": other_contact.pk},
        )
        unsafe = client_a.post(
            f"/emails/customer/{customer.pk}/new/",
            {
                "to": "a@b.test",
                "subject": "S",
                "body": "B",
                "attachments": [SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload")],
            },
        )

    assert empty.status_code == 400 and wrong.status_code == 400
    page = wrong.content.decode()
    assert "„nie-adres” nie jest poprawnym adresem e-mail." in page
    assert foreign.status_code == 400 and unsafe.status_code == 400
    with schema_context(company_a.schema_name):
        assert not CustomerEmail.objects.exists()
    assert mail.outbox == []


def test_the_api_lists_by_customer_and_creating_sends_with_a_template(api_pracownik, company_a, pracownik, worker):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Śrubex")
        other = CustomerFactory()
        contact = ContactPersonFactory(customer=customer, name="Anna Nowak", email="anna@srubex.test")
        template = EmailTemplate.objects.create(
            kind="custom",
            name="Powitanie",
            subject_pl="Witamy {{ customer.name }}",
            body_pl="Dzień dobry {{ contact.first_name }}, {{ user.name }}",
        )

    with worker():
        created = api_pracownik.post(
            "/api/v1/emails/",
            {"customer": customer.pk, "contact": contact.pk, "to": "anna@srubex.test", "template": template.pk},
            content_type="application/json",
        )
    refused = api_pracownik.post(
        "/api/v1/emails/",
        {"customer": customer.pk, "to": "a@b.test", "subject": "", "body": ""},
        content_type="application/json",
    )

    assert created.status_code == 201, created.content
    assert created.json()["subject"] == "Witamy Śrubex"
    assert [m.subject for m in mail.outbox] == ["Witamy Śrubex"]  # no SMTP set: the service's backend
    assert mail.outbox[0].body.startswith("Dzień dobry Anna, ")
    assert refused.status_code == 400 and set(refused.json()) == {"subject", "body"}
    listed = api_pracownik.get(f"/api/v1/emails/?customer={customer.pk}").json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]] and listed[0]["status"] == "sent"
    assert api_pracownik.get(f"/api/v1/emails/?customer={other.pk}").json()["results"] == []


def test_a_restricted_pracownik_writes_to_and_sees_only_his_customers(
    api_restricted_pracownik, client_a, company_a, restricted_pracownik, szef
):
    with schema_context(company_a.schema_name):
        his = CustomerFactory(owner=restricted_pracownik)
        not_his = CustomerFactory(owner=szef)
        hidden = CustomerEmail.objects.create(customer=not_his, to="a@b.test", subject="Tajne", body="x", status="sent")
    client_a.login_as(restricted_pracownik)

    assert client_a.get(f"/emails/customer/{not_his.pk}/new/").status_code == 404
    assert client_a.get(f"/emails/customer/{his.pk}/new/").status_code == 200
    assert client_a.get(f"/emails/{hidden.pk}/").status_code == 404
    answer = api_restricted_pracownik.post(
        "/api/v1/emails/",
        {"customer": not_his.pk, "to": "a@b.test", "subject": "S", "body": "B"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "customer" in answer.json()
    assert api_restricted_pracownik.get(f"/api/v1/emails/{hidden.pk}/").status_code == 404
    with schema_context(company_a.schema_name):
        assert CustomerEmail.objects.count() == 1


def test_another_companys_email_and_customer_are_a_404(client_b, api_outsider, company_a, outsider):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        stored = CustomerEmail.objects.create(customer=customer, to="a@b.test", subject="S", body="B", status="sent")
    client_b.login_as(outsider)

    assert client_b.get(f"/emails/{stored.pk}/").status_code == 404
    assert client_b.get(f"/emails/customer/{customer.pk}/new/").status_code == 404
    assert api_outsider.get(f"/api/v1/emails/{stored.pk}/").status_code == 404
