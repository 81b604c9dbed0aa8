"""The company's BCC address: a copy of mail staff sent from their own program, posted by
the mail provider to the same inbound endpoint as tickets, lands on the timeline of the
customer it was sent to (matched by the customer's or a contact person's address); a
copy that matches nobody is kept for Szef (test_unmatched.py) and the system log says so; a wrong token or
secret changes nothing; the address is shown in Settings."""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

from crm.emails.models import CustomerEmail, EmailStatus, MailboxSettings, UnmatchedEmail
from crm.systemlog.models import SystemEvent
from crm.tickets.models import Ticket, TicketSettings
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.support.systemlog import system_events_clear

URL = "/inbound/email/"


def _ids(company):
    with schema_context(company.schema_name):
        return TicketSettings.current().inbound_secret, MailboxSettings.current().bcc_token


def _post(client, payload, secret):
    return client.post(URL, json.dumps(payload), content_type="application/json", HTTP_X_INBOUND_SECRET=secret)


def _copy(token, **extra):
    return {
        "from": "Szef <szef@alfa.test>",
        "to": ["Anna <anna@srubex.test>"],
        "envelope_to": [f"bcc+{token}@inbound.imcrm.localhost"],
        "subject": "Umowa do podpisu",
        "text": "Dzień dobry, przesyłam umowę.",
        "message_id": "<b1@alfa.test>",
        **extra,
    }


def test_a_bcc_copy_lands_on_the_timeline_of_the_contacts_customer(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Śrubex")
        contact = ContactPersonFactory(customer=customer, email="anna@srubex.test")
    secret, token = _ids(company_a)

    answer = _post(client_a, _copy(token), secret)
    again = _post(client_a, _copy(token), secret)

    assert answer.status_code == 200 and answer.json()["logged"] is True
    assert again.json()["email"] == answer.json()["email"]  # the same Message-ID is logged once
    with schema_context(company_a.schema_name):
        logged = CustomerEmail.objects.get()
        assert (logged.customer_id, logged.contact_id, logged.sender_id) == (customer.pk, contact.pk, szef.pk)
        assert logged.status == EmailStatus.LOGGED and logged.to == "anna@srubex.test"
        assert not Ticket.objects.exists()
    client_a.login_as(szef)
    assert "Umowa do podpisu" in client_a.get(f"/customers/{customer.pk}/?tab=timeline").content.decode()


def test_a_copy_matching_no_customer_is_set_aside_with_a_system_log_entry(client_a, company_a):
    system_events_clear()
    secret, token = _ids(company_a)

    answer = _post(client_a, _copy(token, to=["nikt@nieznany.test"]), secret)

    assert answer.status_code == 200 and answer.json()["logged"] is False
    with schema_context(company_a.schema_name):
        assert not CustomerEmail.objects.exists() and not Ticket.objects.exists()
        assert UnmatchedEmail.objects.get().pk == answer.json()["unmatched"]
        event = SystemEvent.objects.get(kind="email_unmatched")
        assert "nikt@nieznany.test" in event.message
    system_events_clear()


def test_a_wrong_token_or_secret_logs_nothing(client_a, company_a, company_b):
    with schema_context(company_a.schema_name):
        CustomerFactory(email="anna@srubex.test")
    secret, token = _ids(company_a)
    _other_secret, other_token = _ids(company_b)

    wrong_token = _post(client_a, _copy(other_token), secret)
    wrong_secret = _post(client_a, _copy(token), "zly-sekret")

    assert wrong_token.status_code == 200 and wrong_token.json()["logged"] is False
    assert wrong_secret.status_code == 403
    with schema_context(company_a.schema_name):
        assert not CustomerEmail.objects.exists() and not Ticket.objects.exists()


def test_mail_to_a_support_address_still_becomes_a_ticket(client_a, company_a):
    secret, _token = _ids(company_a)

    answer = _post(
        client_a, {"from": "a@klient.test", "to": ["pomoc@alfa.test"], "subject": "Awaria", "text": "x"}, secret
    )

    assert answer.status_code == 200 and answer.json()["created"] is True


def test_settings_show_the_bcc_address_to_szef_only(client_a, company_a, szef, pracownik):
    _secret, token = _ids(company_a)
    client_a.login_as(pracownik)
    assert client_a.get("/settings/email-templates/").status_code == 403
    client_a.login_as(szef)
    assert f"bcc+{token}@inbound.imcrm.localhost" in client_a.get("/settings/email-templates/").content.decode()
