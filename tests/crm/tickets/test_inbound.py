"""POST /inbound/email/ on the company host: the company's secret (wrong or missing: 403),
a reply threaded by the reference in the subject, an unknown reference or none opens a
new ticket for the department of the address, the same Message-ID twice makes one reply,
bad payloads are a 400."""

from __future__ import annotations

import base64
import json

from django_tenants.utils import schema_context

from crm.tickets.models import Ticket, TicketReply, TicketSettings, TicketStatus, TicketStatusCode
from crm.tickets.services import ticket_update
from tests.crm.tickets.factories import contact_make, department_make, ticket_make

URL = "/inbound/email/"


def _secret(company) -> str:
    with schema_context(company.schema_name):
        return TicketSettings.current().inbound_secret


def _post(client, payload, secret):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", HTTP_X_INBOUND_SECRET=secret)


def _mail(ticket=None, **extra):
    subject = f"Re: {ticket.reference} {ticket.subject}" if ticket is not None else "Nowy problem"
    return {
        "from": "Anna Klient <anna@klient.test>",
        "to": ["pomoc@firma.test"],
        "subject": subject,
        "text": "Nadal nie działa.",
        "message_id": "<m1@klient.test>",
        **extra,
    }


def test_a_reply_with_the_reference_lands_in_its_ticket_from_the_contact(client_a, company_a):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()

    response = _post(client_a, _mail(ticket), _secret(company_a))

    assert response.status_code == 200, response.content
    assert response.json()["ticket"] == ticket.pk and response.json()["created"] is False
    with schema_context(company_a.schema_name):
        reply = ticket.replies.order_by("-id").first()
        assert reply.body == "Nadal nie działa." and reply.contact_id == ticket.contact_id and not reply.internal
        assert Ticket.objects.count() == 1


def test_a_reply_from_an_unknown_address_is_kept_marked_with_the_address(client_a, company_a):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()

    _post(client_a, _mail(ticket, **{"from": "ktos@inny.test"}), _secret(company_a))

    with schema_context(company_a.schema_name):
        reply = ticket.replies.order_by("-id").first()
        assert reply.contact_id is None and reply.from_email == "ktos@inny.test"


def test_the_customers_reply_reopens_a_closed_ticket(client_a, company_a):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
        closed = TicketStatus.objects.get(code=TicketStatusCode.CLOSED)
        ticket_update(ticket=ticket, actor=None, status=closed)

    _post(client_a, _mail(ticket), _secret(company_a))

    with schema_context(company_a.schema_name):
        ticket.refresh_from_db()
        assert ticket.status.code == "" and ticket.closed_at is None


def test_an_unknown_reference_opens_a_new_ticket_for_the_department_of_the_address(client_a, company_a):
    with schema_context(company_a.schema_name):
        support = department_make()
        contact = contact_make()

    response = _post(client_a, _mail(subject="Re: [#T-999-abcdef0123] Stare"), _secret(company_a))

    assert response.status_code == 200 and response.json()["created"] is True
    with schema_context(company_a.schema_name):
        ticket = Ticket.objects.get()
        assert ticket.subject == "Stare" and ticket.department == support
        assert ticket.contact == contact and ticket.customer_id == contact.customer_id


def test_a_message_from_a_stranger_opens_a_ticket_without_customer_with_the_sender(client_a, company_a):
    response = _post(client_a, _mail(**{"from": "nowy@nieznany.test"}), _secret(company_a))

    assert response.status_code == 200
    with schema_context(company_a.schema_name):
        ticket = Ticket.objects.get()
        assert ticket.customer is None and ticket.requester_email == "nowy@nieznany.test"
        assert ticket.department is None


def test_the_same_message_posted_twice_makes_one_reply(client_a, company_a):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
    secret = _secret(company_a)

    first = _post(client_a, _mail(ticket), secret)
    second = _post(client_a, _mail(ticket), secret)

    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    with schema_context(company_a.schema_name):
        assert TicketReply.objects.filter(message_id="<m1@klient.test>").count() == 1


def test_a_new_ticket_posted_twice_is_one_ticket(client_a, company_a):
    secret = _secret(company_a)
    _post(client_a, _mail(), secret)
    _post(client_a, _mail(), secret)

    with schema_context(company_a.schema_name):
        assert Ticket.objects.count() == 1


def test_a_wrong_or_missing_secret_is_a_403_and_changes_nothing(client_a, company_a, company_b):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()

    assert _post(client_a, _mail(ticket), "zly-klucz").status_code == 403
    assert client_a.post(URL, json.dumps(_mail(ticket)), content_type="application/json").status_code == 403
    assert _post(client_a, _mail(ticket), _secret(company_b)).status_code == 403  # another company's secret
    with schema_context(company_a.schema_name):
        assert ticket.replies.count() == 1


def test_the_bearer_header_is_accepted_too(client_a, company_a):
    response = client_a.post(
        URL, json.dumps(_mail()), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {_secret(company_a)}"
    )
    assert response.status_code == 200


def test_bad_payloads_are_a_400(client_a, company_a):
    secret = _secret(company_a)
    assert _post(client_a, "not json", secret).status_code == 400
    assert _post(client_a, "[1, 2]", secret).status_code == 400
    assert _post(client_a, _mail(**{"from": "no-address"}), secret).status_code == 400
    assert _post(client_a, _mail(attachments=[{"name": "a.txt", "content": "%%%"}]), secret).status_code == 400
    assert client_a.get(URL).status_code == 405
    with schema_context(company_a.schema_name):
        assert not Ticket.objects.exists()


def test_attachments_are_kept_and_unsafe_ones_skipped(client_a, company_a):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 20).decode()
    exe = base64.b64encode(b"MZ....").decode()
    payload = _mail(
        attachments=[
            {"name": "zrzut.png", "content_type": "image/png", "content": png},
            {"name": "wirus.exe", "content_type": "application/octet-stream", "content": exe},
        ]
    )

    response = _post(client_a, payload, _secret(company_a))

    assert response.status_code == 200 and response.json()["skipped_attachments"] == 1
    with schema_context(company_a.schema_name):
        assert [a.name for a in TicketReply.objects.get().attachments.all()] == ["zrzut.png"]


def test_a_too_large_post_is_refused(client_a, company_a, settings):
    settings.IMCRM_INBOUND_MAX_BYTES = 100
    response = _post(client_a, _mail(text="x" * 500), _secret(company_a))
    assert response.status_code == 413
