"""Settings > Niedopasowane e-maile: a BCC copy that matched no customer waits for Szef,
who attaches it to a chosen customer (it then shows on that customer's timeline as a
matched copy would) or dismisses it; bad input changes nothing; only Szef sees the list;
another company's copy is a 404; copies older than 90 days are purged."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.emails.models import CustomerEmail, EmailStatus, MailboxSettings, UnmatchedEmail
from crm.emails.tasks import unmatched_purge_task
from crm.tickets.models import TicketSettings
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.support.systemlog import system_events_clear

LIST = "/settings/unmatched-emails/"


def _deliver(client, company, **extra):
    with schema_context(company.schema_name):
        secret, token = TicketSettings.current().inbound_secret, MailboxSettings.current().bcc_token
    payload = {
        "from": "Szef <szef@alfa.test>",
        "to": ["Nowy Klient <nowy@nieznany.test>"],
        "cc": ["anna@srubex.test"],
        "envelope_to": [f"bcc+{token}@inbound.imcrm.localhost"],
        "subject": "Oferta dla nowego klienta",
        "text": "Dzień dobry, w załączeniu oferta.",
        "message_id": "<n1@alfa.test>",
        **extra,
    }
    answer = client.post(
        "/inbound/email/", json.dumps(payload), content_type="application/json", HTTP_X_INBOUND_SECRET=secret
    )
    assert answer.status_code == 200 and answer.json()["logged"] is False
    return answer.json()["unmatched"]


@pytest.fixture(autouse=True)
def _no_events():
    system_events_clear()
    yield
    system_events_clear()


def test_szef_sees_the_copy_that_matched_nobody_once_even_when_delivered_twice(client_a, company_a, szef):
    unmatched_id = _deliver(client_a, company_a)
    assert _deliver(client_a, company_a) == unmatched_id  # the same Message-ID

    page = client_a.login_as(szef).get(LIST).content.decode()

    assert "szef@alfa.test" in page and "nowy@nieznany.test" in page and "anna@srubex.test" in page
    assert "Oferta dla nowego klienta" in page
    with schema_context(company_a.schema_name):
        assert UnmatchedEmail.objects.count() == 1
    detail = client_a.get(f"{LIST}{unmatched_id}/").content.decode()
    assert "w załączeniu oferta" in detail and 'data-testid="unmatched-attach"' in detail


def test_attaching_puts_the_copy_on_the_chosen_customers_timeline(client_a, company_a, szef):
    unmatched_id = _deliver(client_a, company_a)
    with schema_context(company_a.schema_name):  # the customer is added after the copy came
        customer = CustomerFactory(name="Nowy Klient Sp. z o.o.")
        contact = ContactPersonFactory(customer=customer, email="nowy@nieznany.test")
    client_a.login_as(szef)

    response = client_a.post(f"{LIST}{unmatched_id}/", {"customer": customer.pk})

    assert response.status_code == 302 and response["Location"] == LIST
    with schema_context(company_a.schema_name):
        logged = CustomerEmail.objects.get()
        assert (logged.customer_id, logged.contact_id, logged.sender_id) == (customer.pk, contact.pk, szef.pk)
        assert logged.status == EmailStatus.LOGGED and logged.message_id == "<n1@alfa.test>"
        assert logged.to == "nowy@nieznany.test" and logged.cc == "anna@srubex.test"
        assert not UnmatchedEmail.objects.exists()
        assert ActivityEntry.objects.filter(code="email.unmatched_attached").exists()
    timeline = client_a.get(f"/customers/{customer.pk}/?tab=timeline").content.decode()
    assert "Oferta dla nowego klienta" in timeline
    assert "Oferta dla nowego klienta" not in client_a.get(LIST).content.decode()


@pytest.mark.parametrize("customer", ["", "abc", "999999"])
def test_attaching_without_a_real_customer_says_so_and_changes_nothing(client_a, company_a, szef, customer):
    unmatched_id = _deliver(client_a, company_a)

    response = client_a.login_as(szef).post(f"{LIST}{unmatched_id}/", {"customer": customer})

    assert response.status_code == 400
    assert "Wybierz klienta" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert UnmatchedEmail.objects.filter(pk=unmatched_id).exists() and not CustomerEmail.objects.exists()


def test_dismissing_removes_the_copy_without_logging_it_anywhere(client_a, company_a, szef):
    unmatched_id = _deliver(client_a, company_a)

    response = client_a.login_as(szef).post(f"{LIST}{unmatched_id}/dismiss/")

    assert response.status_code == 302
    assert client_a.get(f"{LIST}{unmatched_id}/dismiss/").status_code == 405
    with schema_context(company_a.schema_name):
        assert not UnmatchedEmail.objects.exists() and not CustomerEmail.objects.exists()
    assert 'data-testid="unmatched-empty"' in client_a.get(LIST).content.decode()


@pytest.mark.parametrize("rank", ["kierownik", "pracownik"])
def test_only_szef_sees_attaches_or_dismisses_unmatched_copies(request, client_a, company_a, rank):
    unmatched_id = _deliver(client_a, company_a)
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
    client_a.login_as(request.getfixturevalue(rank))

    assert client_a.get(LIST).status_code == 403
    assert client_a.get(f"{LIST}{unmatched_id}/").status_code == 403
    assert client_a.post(f"{LIST}{unmatched_id}/", {"customer": customer.pk}).status_code == 403
    assert client_a.post(f"{LIST}{unmatched_id}/dismiss/").status_code == 403
    with schema_context(company_a.schema_name):
        assert UnmatchedEmail.objects.filter(pk=unmatched_id).exists() and not CustomerEmail.objects.exists()


def test_another_companys_szef_gets_404_for_this_companys_copy(client_a, client_b, company_a, outsider):
    unmatched_id = _deliver(client_a, company_a)
    client_b.login_as(outsider)

    assert client_b.get(f"{LIST}{unmatched_id}/").status_code == 404
    assert client_b.post(f"{LIST}{unmatched_id}/", {"customer": 1}).status_code == 404
    assert client_b.post(f"{LIST}{unmatched_id}/dismiss/").status_code == 404
    assert "Oferta dla nowego klienta" not in client_b.get(LIST).content.decode()
    with schema_context(company_a.schema_name):
        assert UnmatchedEmail.objects.filter(pk=unmatched_id).exists()


def test_copies_older_than_90_days_are_purged(company_a):
    with schema_context(company_a.schema_name):
        old = UnmatchedEmail.objects.create(subject="Stary", received_at=timezone.now() - timedelta(days=91))
        recent = UnmatchedEmail.objects.create(subject="Nowy", received_at=timezone.now() - timedelta(days=89))

        assert unmatched_purge_task.apply(headers={"_schema_name": company_a.schema_name}).get() == 1

        assert list(UnmatchedEmail.objects.values_list("pk", flat=True)) == [recent.pk]
        assert not UnmatchedEmail.objects.filter(pk=old.pk).exists()
