"""/api/v1/tickets/ and <id>/replies/: the fields, numbers, validation in Polish, the
closed status, first response, e-mail to the contact (reference in the subject, never an
internal note), ranks, and another company's ticket is a 404."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.tickets.models import Ticket, TicketReply, TicketStatus, TicketStatusCode
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.tickets.factories import contact_make, department_make, ticket_make

TICKET_FIELDS = {
    "id",
    "number",
    "subject",
    "customer",
    "contact",
    "department",
    "priority",
    "status",
    "assignee",
    "created_at",
    "first_response_at",
    "closed_at",
}


def _post(client, body, url="/api/v1/tickets/"):
    return client.post(url, body, content_type="application/json")


def test_creating_a_ticket_gives_the_next_number_and_the_first_status(company_a, api_szef):
    with schema_context(company_a.schema_name):
        contact = contact_make()
        first_status = TicketStatus.objects.order_by("position").first()

    one = _post(api_szef, {"subject": "Błąd logowania", "contact": contact.pk, "body": "Nie mogę się zalogować."})
    two = _post(api_szef, {"subject": "Faktura", "customer": contact.customer_id})

    assert one.status_code == 201, one.content
    body = one.json()
    assert set(body) >= TICKET_FIELDS
    assert body["customer"] == contact.customer_id  # the contact gives the customer
    assert body["status"] == first_status.pk and body["first_response_at"] is None and body["closed_at"] is None
    assert two.json()["number"] == body["number"] + 1
    with schema_context(company_a.schema_name):
        assert Ticket.objects.get(pk=body["id"]).replies.get().body == "Nie mogę się zalogować."


def test_a_contact_of_another_customer_is_refused_in_polish(company_a, api_szef):
    with schema_context(company_a.schema_name):
        contact = contact_make()
        other = CustomerFactory()

    response = _post(api_szef, {"subject": "X", "customer": other.pk, "contact": contact.pk})

    assert response.status_code == 400
    assert response.json()["contact"] == ["Osoba kontaktowa należy do innego klienta."]
    with schema_context(company_a.schema_name):
        assert not Ticket.objects.exists()


def test_bad_input_is_a_400_with_messages_not_a_500(company_a, api_szef):
    assert _post(api_szef, {"subject": "   "}).status_code == 400
    assert _post(api_szef, {"subject": "x" * 201}).status_code == 400
    assert _post(api_szef, {"subject": "ok", "status": "abc"}).status_code == 400
    assert _post(api_szef, {"subject": "ok", "customer": 10**20}).status_code == 400
    assert api_szef.get("/api/v1/tickets/?status=abc").status_code == 400
    with schema_context(company_a.schema_name):
        assert not Ticket.objects.exists()


def test_moving_to_the_closed_status_sets_closed_at_and_reopening_clears_it(company_a, api_szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
        closed = TicketStatus.objects.get(code=TicketStatusCode.CLOSED)
        other = TicketStatus.objects.exclude(pk=closed.pk).first()

    closing = api_szef.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": closed.pk}, content_type="application/json")
    reopening = api_szef.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": other.pk}, content_type="application/json")

    assert closing.status_code == 200 and closing.json()["closed_at"] is not None
    assert reopening.status_code == 200 and reopening.json()["closed_at"] is None


def test_a_staff_reply_is_emailed_to_the_contact_with_the_reference_and_sets_first_response(company_a, api_szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()

    response = _post(api_szef, {"body": "Proszę zrestartować drukarkę."}, f"/api/v1/tickets/{ticket.pk}/replies/")

    assert response.status_code == 201, response.content
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@klient.test"]
    assert f"[#T-{ticket.number}-{ticket.token}]" in message.subject
    assert "Proszę zrestartować drukarkę." in message.body
    detail = api_szef.get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert detail["first_response_at"] is not None


def test_an_internal_note_is_never_emailed_and_does_not_count_as_a_response(company_a, api_szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()

    response = _post(
        api_szef, {"body": "Klient dzwonił dwa razy.", "internal": True}, f"/api/v1/tickets/{ticket.pk}/replies/"
    )

    assert response.status_code == 201
    assert mail.outbox == []
    assert api_szef.get(f"/api/v1/tickets/{ticket.pk}/").json()["first_response_at"] is None
    thread = api_szef.get(f"/api/v1/tickets/{ticket.pk}/replies/").json()
    assert [r["internal"] for r in thread] == [False, True]


def test_an_empty_reply_is_refused(company_a, api_szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()

    response = _post(api_szef, {"body": ""}, f"/api/v1/tickets/{ticket.pk}/replies/")

    assert response.status_code == 400
    with schema_context(company_a.schema_name):
        assert ticket.replies.count() == 1


def test_assigning_a_ticket_queues_an_email_to_the_assignee(
    company_a, api_szef, pracownik, monkeypatch, django_capture_on_commit_callbacks
):
    from tenants import queue

    with schema_context(company_a.schema_name):
        ticket = ticket_make()
    queued: list[tuple[Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(queue, "enqueue", lambda task, *args, **kw: queued.append((task, args)))

    with django_capture_on_commit_callbacks(execute=True):
        response = api_szef.patch(
            f"/api/v1/tickets/{ticket.pk}/", {"assignee": pracownik.pk}, content_type="application/json"
        )

    assert response.status_code == 200
    assert mail.outbox == []  # the request does not wait for SMTP
    [(task, args)] = queued
    assert task.name == "tickets.ticket_assigned_email_send"
    # What the worker runs: the company's schema comes in the task's headers.
    assert task.apply(args=args, headers={"_schema_name": company_a.schema_name}, throw=True).get() is True
    with schema_context(company_a.schema_name):
        assert ActivityEntry.objects.filter(code="ticket.assigned").exists()
    assert [m.to for m in mail.outbox] == [[pracownik.email]]
    assert f"#{ticket.number}" in mail.outbox[0].subject


def test_an_assignment_email_is_not_sent_once_the_ticket_has_moved_on(company_a, pracownik, szef):
    from crm.tickets.tasks import ticket_assigned_email_send_task

    with schema_context(company_a.schema_name):
        ticket = ticket_make(assignee=szef)  # reassigned before the worker ran
    headers = {"_schema_name": company_a.schema_name}
    for ticket_id in (ticket.pk, 987654):  # moved on to someone else; deleted
        result = ticket_assigned_email_send_task.apply(args=[ticket_id, pracownik.pk, szef.pk], headers=headers)
        assert result.get() is False
    assert mail.outbox == []


def test_another_companys_ticket_is_a_404(company_a, api_outsider):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()

    assert api_outsider.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 404
    assert _post(api_outsider, {"body": "x"}, f"/api/v1/tickets/{ticket.pk}/replies/").status_code == 404
    listed = api_outsider.get("/api/v1/tickets/").json()
    assert ticket.pk not in [row["id"] for row in (listed["results"] if isinstance(listed, dict) else listed)]


def test_a_pracownik_sees_his_departments_and_his_own_tickets_only(company_a, api_pracownik, pracownik, szef):
    with schema_context(company_a.schema_name):
        support = department_make(members=[pracownik])
        mine = ticket_make(subject="Dział", department=support)
        assigned = ticket_make(subject="Moje", contact=ContactPersonFactory(), assignee=pracownik)
        other = ticket_make(subject="Cudze", contact=ContactPersonFactory())

    assert api_pracownik.get(f"/api/v1/tickets/{mine.pk}/").status_code == 200
    assert api_pracownik.get(f"/api/v1/tickets/{assigned.pk}/").status_code == 200
    assert api_pracownik.get(f"/api/v1/tickets/{other.pk}/").status_code == 404


def test_only_kierownik_and_szef_delete_tickets(company_a, api_pracownik, api_kierownik, pracownik):
    with schema_context(company_a.schema_name):
        ticket = ticket_make(assignee=pracownik)

    assert api_pracownik.delete(f"/api/v1/tickets/{ticket.pk}/").status_code == 403
    assert api_kierownik.delete(f"/api/v1/tickets/{ticket.pk}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert not Ticket.objects.exists() and not TicketReply.objects.exists()


def test_the_lists_of_priorities_statuses_and_departments(company_a, api_pracownik):
    statuses = api_pracownik.get("/api/v1/ticket-statuses/").json()
    rows = statuses["results"] if isinstance(statuses, dict) else statuses
    assert [r["code"] for r in rows if r["locked"]] == ["closed"]
    assert api_pracownik.get("/api/v1/ticket-priorities/").status_code == 200
    assert api_pracownik.get("/api/v1/ticket-departments/").status_code == 200


def test_a_reply_with_a_file_sends_it_and_an_unsafe_file_is_refused(company_a, api_szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
    url = f"/api/v1/tickets/{ticket.pk}/replies/"

    good = api_szef.post(url, {"body": "Instrukcja w załączniku.", "files": [SimpleUploadedFile("a.txt", b"krok 1\n")]})
    bad = api_szef.post(url, {"body": "Zły plik", "files": [SimpleUploadedFile("a.exe", b"MZ")]})

    assert good.status_code == 201, good.content
    assert [a["name"] for a in good.json()["attachments"]] == ["a.txt"]
    assert mail.outbox[0].attachments[0][0] == "a.txt"
    assert bad.status_code == 400
    with schema_context(company_a.schema_name):
        assert not ticket.replies.filter(body="Zły plik").exists()
