"""The ticket pages: the list with filters, the new-ticket form (errors next to the
fields), the thread with the reply form (predefined replies), the quick change, the
customer card tab, the reports; ranks, and another company's ticket is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.tickets.models import PredefinedReply, Ticket, TicketPriority, TicketStatus, TicketStatusCode
from tests.crm.tickets.factories import contact_make, department_make, ticket_make


def test_the_list_shows_tickets_and_filters_by_status(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        one = ticket_make(subject="Drukarka")
        two = ticket_make(subject="Faktura", customer=one.customer)
        closed = TicketStatus.objects.get(code=TicketStatusCode.CLOSED)
        Ticket.objects.filter(pk=two.pk).update(status=closed)
    client_a.login_as(szef)

    page = client_a.get("/tickets/").content.decode()
    filtered = client_a.get(f"/tickets/?status={closed.pk}").content.decode()

    assert "Drukarka" in page and "Faktura" in page
    assert "Faktura" in filtered and "Drukarka" not in filtered
    assert client_a.get("/tickets/?status=abc&priority=-1&q=" + "x" * 300).status_code == 200


def test_staff_open_a_ticket_and_errors_show_next_to_the_fields(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        contact = contact_make()
    client_a.login_as(szef)

    bad = client_a.post("/tickets/new/", {"subject": "", "customer": contact.customer_id})
    good = client_a.post(
        "/tickets/new/",
        {"subject": "Brak dostępu", "customer": contact.customer_id, "contact": contact.pk, "body": "Pomocy"},
    )

    assert bad.status_code == 400 and "subject" in bad.context["form"].errors
    assert good.status_code == 302
    with schema_context(company_a.schema_name):
        ticket = Ticket.objects.get()
        assert ticket.contact == contact and ticket.replies.get().body == "Pomocy"


def test_replying_on_the_page_emails_the_contact_and_a_note_stays_internal(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
    client_a.login_as(szef)

    sent = client_a.post(f"/tickets/{ticket.pk}/reply/", {"body": "Już naprawione."})
    note = client_a.post(f"/tickets/{ticket.pk}/reply/", {"body": "Tylko dla nas.", "internal": "on"})
    empty = client_a.post(f"/tickets/{ticket.pk}/reply/", {"body": ""})
    page = client_a.get(f"/tickets/{ticket.pk}/").content.decode()

    assert sent.status_code == 302 and note.status_code == 302 and empty.status_code == 400
    assert len(mail.outbox) == 1 and ticket.reference in mail.outbox[0].subject
    assert "Tylko dla nas." not in mail.outbox[0].body
    assert "Już naprawione." in page and "Tylko dla nas." in page and 'data-testid="internal-badge"' in page


def test_a_predefined_reply_is_put_in_the_reply_form(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        ticket = ticket_make(assignee=pracownik)
        item = PredefinedReply.objects.create(title="Dziękujemy", body="Dziękujemy za cierpliwość.")
    client_a.login_as(pracownik)

    page = client_a.get(f"/tickets/{ticket.pk}/?predefined={item.pk}")

    assert page.status_code == 200
    assert page.context["reply_form"].initial["body"] == "Dziękujemy za cierpliwość."


def test_staff_keep_their_own_predefined_replies(client_a, company_a, pracownik):
    client_a.login_as(pracownik)

    bad = client_a.post("/tickets/predefined/new/", {"title": "", "body": ""})
    good = client_a.post("/tickets/predefined/new/", {"title": "Powitanie", "body": "Dzień dobry,"})

    assert bad.status_code == 400 and good.status_code == 302
    with schema_context(company_a.schema_name):
        assert PredefinedReply.objects.get().owner == pracownik


def test_the_quick_change_closes_the_ticket(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
        closed = TicketStatus.objects.get(code=TicketStatusCode.CLOSED)
        priority = TicketPriority.objects.last()
    client_a.login_as(szef)

    response = client_a.post(f"/tickets/{ticket.pk}/panel/", {"status": closed.pk, "priority": priority.pk})
    bad = client_a.post(f"/tickets/{ticket.pk}/panel/", {"status": "999999"})

    assert response.status_code == 302 and bad.status_code == 400
    with schema_context(company_a.schema_name):
        ticket.refresh_from_db()
        assert ticket.status == closed and ticket.closed_at is not None


def test_the_customer_card_has_a_tickets_tab(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        ticket = ticket_make(subject="Problem z kontem")
    client_a.login_as(szef)

    page = client_a.get(f"/customers/{ticket.customer_id}/?tab=tickets").content.decode()

    assert "Zgłoszenia" in page and "Problem z kontem" in page


def test_another_companys_ticket_pages_are_a_404(client_b, company_a, outsider):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
    client_b.login_as(outsider)

    for url in (f"/tickets/{ticket.pk}/", f"/tickets/{ticket.pk}/edit/", f"/tickets/{ticket.pk}/delete/"):
        assert client_b.get(url).status_code == 404, url
    assert client_b.post(f"/tickets/{ticket.pk}/reply/", {"body": "x"}).status_code == 404


def test_a_pracownik_outside_the_department_gets_a_404_and_cannot_open_reports(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        ticket = ticket_make()
    client_a.login_as(pracownik)

    assert client_a.get(f"/tickets/{ticket.pk}/").status_code == 404
    assert client_a.get("/tickets/reports/").status_code == 403
    assert client_a.get("/tickets/").status_code == 200


def test_a_restricted_pracownik_sees_department_tickets_only_of_his_customers(
    client_a, company_a, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        support = department_make(members=[restricted_pracownik])
        foreign = ticket_make(department=support)
        mine = ticket_make(subject="Moje", department=support, assignee=restricted_pracownik)
    client_a.login_as(restricted_pracownik)

    assert client_a.get(f"/tickets/{foreign.pk}/").status_code == 404
    assert client_a.get(f"/tickets/{mine.pk}/").status_code == 200


def test_only_managers_delete_tickets_on_the_page(client_a, company_a, pracownik, kierownik):
    with schema_context(company_a.schema_name):
        ticket = ticket_make(assignee=pracownik)

    assert client_a.login_as(pracownik).post(f"/tickets/{ticket.pk}/delete/").status_code == 403
    assert client_a.login_as(kierownik).post(f"/tickets/{ticket.pk}/delete/").status_code == 302
    with schema_context(company_a.schema_name):
        assert not Ticket.objects.exists()


def test_the_reports_count_open_tickets_and_give_medians(client_a, company_a, kierownik, pracownik):
    with schema_context(company_a.schema_name):
        support = department_make()
        urgent = TicketPriority.objects.order_by("-position").first()
        closed = TicketStatus.objects.get(code=TicketStatusCode.CLOSED)
        now = timezone.now()
        for hours in (1, 3, 5):
            t = ticket_make(department=support, priority=urgent, assignee=pracownik)
            Ticket.objects.filter(pk=t.pk).update(
                created_at=now - timedelta(hours=10), first_response_at=now - timedelta(hours=10 - hours)
            )
        done = ticket_make(department=support, priority=urgent)
        Ticket.objects.filter(pk=done.pk).update(
            status=closed, created_at=now - timedelta(hours=30), closed_at=now - timedelta(hours=6)
        )
    client_a.login_as(kierownik)

    response = client_a.get("/tickets/reports/")

    assert response.status_code == 200
    report = response.context["report"]
    row = next(r for r in report.rows if r["department"] == "Wsparcie")
    assert row["total"] == 3  # the closed one is not open
    assert report.first_response == timedelta(hours=3)
    assert report.resolution == timedelta(hours=24)
    person = next(s for s in report.staff if s.user_id == pracownik.pk)
    assert (person.open, person.first_response) == (3, timedelta(hours=3))
    assert "3 h 0 min" in response.content.decode()


def test_the_list_searches_by_number_subject_and_customer(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        one = ticket_make(subject="Drukarka")
        ticket_make(subject="Faktura", customer=one.customer)
    client_a.login_as(szef)

    by_number = client_a.get(f"/tickets/?q=%23{one.number}").context["page"].object_list
    by_subject = client_a.get("/tickets/?q=drukark").context["page"].object_list

    assert [t.pk for t in by_number] == [one.pk]
    assert [t.subject for t in by_subject] == ["Drukarka"]


def test_the_reports_count_only_tickets_created_in_the_chosen_days(client_a, company_a, kierownik, pracownik):
    with schema_context(company_a.schema_name):
        support = department_make()
        now = timezone.now()
        old = ticket_make(department=support, assignee=pracownik)
        Ticket.objects.filter(pk=old.pk).update(
            created_at=now - timedelta(days=40), first_response_at=now - timedelta(days=40) + timedelta(hours=9)
        )
        recent = ticket_make(department=support, assignee=pracownik)
        Ticket.objects.filter(pk=recent.pk).update(
            created_at=now - timedelta(hours=5), first_response_at=now - timedelta(hours=4)
        )
    client_a.login_as(kierownik)
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()

    everything = client_a.get("/tickets/reports/").context["report"]
    recent_only = client_a.get("/tickets/reports/", {"date_from": week_ago}).context["report"]
    old_only = client_a.get("/tickets/reports/", {"date_to": week_ago}).context["report"]
    backwards = client_a.get("/tickets/reports/", {"date_from": week_ago, "date_to": "2020-01-01"})

    def open_in_support(report):
        return next(r for r in report.rows if r["department"] == "Wsparcie")["total"]

    assert (open_in_support(everything), open_in_support(recent_only), open_in_support(old_only)) == (2, 1, 1)
    assert recent_only.first_response == timedelta(hours=1)
    assert old_only.first_response == timedelta(hours=9)
    assert [s.open for s in recent_only.staff if s.user_id == pracownik.pk] == [1]
    assert backwards.status_code == 400
    assert "Data końcowa nie może być wcześniejsza niż początkowa." in backwards.content.decode()
