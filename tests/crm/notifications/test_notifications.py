"""The bell: people hear about what others did for them (a task or deal handed over, an
@mention, a ticket, an answered offer, a paid invoice, a finished import), read it in
their own language, mark it read, and choose what also comes by e-mail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from crm.notes.services import note_create, note_update
from crm.notifications.models import Notification, NotificationEmailSetting, NotificationKind
from crm.tickets.inbound import InboundMessage, inbound_receive
from tests.crm.contacts.factories import CustomerFactory, deal_make, task_make
from tests.crm.tickets.factories import ticket_make

JSON = "application/json"


def _mine(company, user) -> list[Notification]:
    with schema_context(company.schema_name):
        return list(Notification.objects.filter(recipient=user))


@pytest.fixture
def queued(monkeypatch) -> list[tuple[Any, tuple[Any, ...]]]:
    from tenants import queue

    sent: list[tuple[Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(queue, "enqueue", lambda task, *args, **kw: sent.append((task, args)))
    return sent


def test_a_task_given_to_someone_else_rings_his_bell_not_the_givers(
    company_a, api_szef, api_pracownik, szef, pracownik
):
    response = api_szef.post(
        "/api/v1/tasks/", {"title": "Zadzwonić do Śrubexu", "assignee": pracownik.pk}, content_type=JSON
    )
    assert response.status_code == 201, response.content

    listed = api_pracownik.get("/api/v1/notifications/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["kind"] for r in rows] == ["task_assigned"]
    assert "Anna Szef" in rows[0]["message"] and "Zadzwonić do Śrubexu" in rows[0]["message"]
    assert rows[0]["url"] == f"/tasks/{response.json()['id']}/" and rows[0]["unread"] is True
    assert api_pracownik.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert _mine(company_a, szef) == []  # nobody is told what he did himself

    api_pracownik.post("/api/v1/tasks/", {"title": "Moje własne"}, content_type=JSON)
    assert api_pracownik.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}


def test_marking_read_one_and_all_and_nobody_else_can(
    company_a, api_pracownik, api_kierownik, api_outsider, szef, pracownik
):
    with schema_context(company_a.schema_name):
        first = task_make(title="Pierwsze", assignee=szef)
        second = task_make(title="Drugie", assignee=szef)
    for task in (first, second):
        api_kierownik.patch(f"/api/v1/tasks/{task.pk}/", {"assignee": pracownik.pk}, content_type=JSON)
    one, two = _mine(company_a, pracownik)

    assert api_kierownik.post(f"/api/v1/notifications/{one.pk}/read/").status_code == 404  # not his
    assert api_outsider.post(f"/api/v1/notifications/{one.pk}/read/").status_code == 404  # other company
    assert api_outsider.get(f"/api/v1/notifications/{one.pk}/").status_code == 404
    read = api_pracownik.post(f"/api/v1/notifications/{one.pk}/read/")
    assert read.status_code == 200 and read.json()["unread"] is False
    unread = api_pracownik.get("/api/v1/notifications/?unread=true").json()
    assert [r["id"] for r in (unread["results"] if isinstance(unread, dict) else unread)] == [two.pk]
    assert api_pracownik.post("/api/v1/notifications/read-all/").json() == {"unread": 0}


def test_the_email_goes_after_the_commit_in_the_recipients_language_unless_switched_off(
    company_a, api_szef, pracownik, queued, django_capture_on_commit_callbacks
):
    with schema_context(company_a.schema_name):
        pracownik.language = "en"
        pracownik.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        api_szef.post("/api/v1/tasks/", {"title": "Oferta dla Śrubexu", "assignee": pracownik.pk}, content_type=JSON)

    assert mail.outbox == []  # the request does not wait for SMTP
    [(task, args)] = queued
    assert task.apply(args=args, headers={"_schema_name": company_a.schema_name}, throw=True).get() is True
    [message] = mail.outbox
    assert message.to == [pracownik.email]
    assert "assigns you the task" in message.subject and "Oferta dla Śrubexu" in message.subject
    assert "/tasks/" in message.body and "/notifications/settings/" in message.body

    with schema_context(company_a.schema_name):
        NotificationEmailSetting.objects.create(user=pracownik, kind=NotificationKind.TASK_ASSIGNED, email=False)
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api_szef.post("/api/v1/tasks/", {"title": "Drugie", "assignee": pracownik.pk}, content_type=JSON)
    assert queued == []
    assert len(_mine(company_a, pracownik)) == 2  # the bell still rings


def test_a_read_notification_is_not_emailed_any_more(company_a, szef, pracownik):
    from crm.notifications.tasks import notification_email_send_task

    with schema_context(company_a.schema_name):
        task = task_make(title="Stare", assignee=szef)
        from crm.tasks.services import task_update

        task_update(task=task, actor=szef, assignee=pracownik)
        notification = Notification.objects.get(recipient=pracownik)
        notification.read_at = notification.created_at
        notification.save()
    result = notification_email_send_task.apply(args=[notification.pk], headers={"_schema_name": company_a.schema_name})
    assert result.get() is False and mail.outbox == []


def test_a_deal_handed_over_rings_the_new_owner(company_a, api_szef, kierownik):
    with schema_context(company_a.schema_name):
        deal = deal_make(CustomerFactory(name="Śrubex"), name="Dostawa śrub")

    api_szef.patch(f"/api/v1/deals/{deal.pk}/", {"owner": kierownik.pk}, content_type=JSON)

    [notification] = _mine(company_a, kierownik)
    assert notification.kind == NotificationKind.DEAL_ASSIGNED
    assert "Dostawa śrub" in notification.message and notification.url == f"/deals/{deal.pk}/"


def test_an_at_mention_tells_the_colleague_who_can_see_the_record(company_a, szef, kierownik, restricted_pracownik):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Śrubex", owner=szef)
        note = note_create(target=customer, author=szef, body="@kamil kierownik i @Piotr Pracownik: oddzwońcie.")
        kinds = [n.kind for n in Notification.objects.filter(recipient=kierownik)]
        hidden = Notification.objects.filter(recipient=restricted_pracownik).count()
        note_update(note=note, editor=szef, body=note.body + " Pilne.")  # the same people: no second ring
        again = Notification.objects.filter(recipient=kierownik).count()

    assert kinds == [NotificationKind.MENTION]
    assert hidden == 0  # he does not see this customer: nothing about it reaches him
    assert again == 1


def test_an_email_mention_needs_the_at_sign_and_the_whole_name(company_a, szef, kierownik):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Śrubex")
        note_create(target=customer, author=szef, body="Kamil Kierownik zadzwoni. @Kamil Kierownikowski nie.")
        assert not Notification.objects.filter(recipient=kierownik).exists()


def test_a_customers_reply_to_a_ticket_rings_the_assignee(company_a, kierownik):
    with schema_context(company_a.schema_name):
        ticket = ticket_make(assignee=kierownik)
        Notification.objects.all().delete()
        inbound_receive(
            InboundMessage(
                sender="anna@klient.test",
                sender_name="Anna",
                to=["pomoc@alfa.test"],
                subject=f"Re: [#T-{ticket.number}-{ticket.token}] Drukarka",
                body="Nadal nie działa.",
                message_id="<r1@klient.test>",
            )
        )
        [notification] = Notification.objects.filter(recipient=kierownik)
    assert notification.kind == NotificationKind.TICKET_ANSWERED
    assert f"#{ticket.number}" in notification.message


def test_a_paid_invoice_rings_its_owner(company_a, szef, kierownik):
    from crm.invoicing.payments import payment_create
    from tests.crm.invoicing.factories import issued_make

    with schema_context(company_a.schema_name):
        invoice = issued_make(owner=kierownik)
        payment_create(actor=szef, invoice=invoice, amount=invoice.gross_total - Decimal("1"))
        partly = Notification.objects.filter(recipient=kierownik).count()
        payment_create(actor=szef, invoice=invoice, amount=Decimal("1"))
        [notification] = Notification.objects.filter(recipient=kierownik)
    assert partly == 0
    assert notification.kind == NotificationKind.INVOICE_PAID and invoice.number in notification.message


def test_pages_list_open_and_mark_read_only_your_own(client_a, company_a, szef, pracownik, kierownik):
    with schema_context(company_a.schema_name):
        task = task_make(title="Przygotować umowę", assignee=szef)
        from crm.tasks.services import task_update

        task_update(task=task, actor=szef, assignee=pracownik)
        [notification] = Notification.objects.filter(recipient=pracownik)

    client_a.login_as(kierownik)
    assert client_a.get(f"/notifications/{notification.pk}/open/").status_code == 404
    client_a.login_as(pracownik)
    page = client_a.get("/notifications/").content.decode()
    assert "Przygotować umowę" in page and 'data-testid="notifications-bell"' in page
    panel = client_a.get("/notifications/panel/").content.decode()
    assert "Przygotować umowę" in panel and "notification-unread" in panel
    opened = client_a.get(f"/notifications/{notification.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == f"/tasks/{task.pk}/"
    assert "Przygotować umowę" not in client_a.get("/notifications/?unread=1").content.decode()
    assert client_a.post("/notifications/read-all/").status_code == 302


def test_people_choose_what_comes_by_email_and_nonsense_changes_nothing(client_a, company_a, pracownik):
    client_a.login_as(pracownik)
    page = client_a.get("/notifications/settings/").content.decode()
    assert "Przypisano mi zadanie" in page

    saved = client_a.post("/notifications/settings/", {"email": ["mention", "invoice_paid"]})
    assert saved.status_code == 302
    bad = client_a.post("/notifications/settings/", {"email": ["everything"]})
    assert bad.status_code == 400 and "Wybierz rodzaje powiadomień z listy." in bad.content.decode()

    with schema_context(company_a.schema_name):
        from crm.notifications.services import email_settings

        chosen = email_settings(pracownik)
    assert chosen["mention"] and chosen["invoice_paid"] and not chosen["task_assigned"]


def test_mention_autocomplete_offers_active_colleagues_of_this_company_only(client_a, pracownik, kierownik):
    client_a.login_as(pracownik)
    found = client_a.get("/notifications/people/", {"q": "ki"}).json()["results"]
    assert [p["name"] for p in found] == ["Kamil Kierownik"]
    assert "Olga Outsider" not in str(client_a.get("/notifications/people/", {"q": "ol"}).json())


def test_anonymous_people_are_sent_to_log_in(client_a):
    for path in ("/notifications/", "/notifications/panel/", "/notifications/settings/", "/notifications/people/"):
        assert client_a.get(path).status_code == 302
    assert client_a.get("/api/v1/notifications/").status_code in (401, 403)
