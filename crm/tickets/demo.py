"""Sample tickets of the demo company (called from crm/demo/seed.py after the customers):
two departments, a few predefined replies, and tickets in every status with a thread (the
customer's request, a staff answer, an internal note), so the list, the thread and the
reports have something to show. Idempotent: does nothing once the company has any ticket,
or while it has no customers. No e-mail goes out: replies are written directly."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from crm.accounts.models import Role, User
from crm.contacts.models import ContactPerson, Customer
from crm.tickets.models import Department, PredefinedReply, Ticket, TicketPriority, TicketReply, TicketStatus
from crm.tickets.services import ticket_create

TICKETS = [
    # subject, request, status index, priority index, hours to the first answer, hours to close
    ("Nie działa logowanie do panelu", "Od rana nie mogę się zalogować, pojawia się błąd 500.", 3, 3, 1, 5),
    ("Prośba o duplikat faktury", "Proszę o ponowne przesłanie faktury za październik.", 3, 1, 3, 30),
    ("Drukarka w biurze nie drukuje", "Drukarka pokazuje błąd papieru, choć papier jest.", 1, 2, 2, None),
    ("Pytanie o rozszerzenie licencji", "Ile kosztuje 5 dodatkowych stanowisk?", 2, 1, 20, None),
    ("Aktualizacja danych firmy", "Zmieniliśmy adres siedziby, proszę o aktualizację.", 0, 0, None, None),
]
REPLIES = [
    ("Potwierdzenie przyjęcia", "Dziękujemy za zgłoszenie. Zajmiemy się nim najszybciej, jak to możliwe."),
    ("Prośba o szczegóły", "Prosimy o zrzut ekranu i dokładną godzinę wystąpienia problemu."),
    ("Zamknięcie zgłoszenia", "Zgłoszenie uznajemy za rozwiązane. W razie pytań prosimy o odpowiedź na tę wiadomość."),
]


def tickets_demo_seed() -> int:
    """Create the demo tickets; returns how many were made (0 when already there)."""
    customers = list(Customer.objects.order_by("id")[:10])
    if not customers or Ticket.objects.exists():
        return 0
    staff = list(User.objects.filter(is_active=True).order_by("id"))
    szef = next((u for u in staff if u.role == Role.SZEF), staff[0] if staff else None)
    support, _ = Department.objects.get_or_create(name="Wsparcie techniczne", defaults={"email": "pomoc@demo.test"})
    Department.objects.get_or_create(name="Księgowość", defaults={"email": "faktury@demo.test"})
    if staff:
        support.members.set(staff[:3])
    for title, body in REPLIES:
        PredefinedReply.objects.get_or_create(title=title, owner=None, defaults={"body": body})
    statuses = list(TicketStatus.objects.order_by("position", "id"))
    priorities = list(TicketPriority.objects.order_by("position", "id"))
    now = timezone.now()
    made = 0
    for index, (subject, request, status_index, priority_index, first, close) in enumerate(TICKETS):
        customer = customers[index % len(customers)]
        contact = ContactPerson.objects.filter(customer=customer).order_by("id").first()
        assignee = szef if index % 2 == 0 else (staff[-1] if staff else None)
        ticket = ticket_create(
            actor=assignee,  # taken by the person himself: no assignment e-mail while seeding
            subject=subject,
            body=request,
            customer=customer,
            contact=contact,
            department=support,
            priority=priorities[priority_index % len(priorities)] if priorities else None,
            assignee=assignee,
            requester_email="" if contact is not None else (customer.email or ""),
        )
        created = now - timedelta(days=10 - index)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
        ticket.replies.update(created_at=created)
        updates: dict[str, object] = {}
        if first is not None:
            answered = created + timedelta(hours=first)
            reply = TicketReply.objects.create(ticket=ticket, body=REPLIES[0][1], author=szef)
            TicketReply.objects.filter(pk=reply.pk).update(created_at=answered)
            note = TicketReply.objects.create(ticket=ticket, body="Sprawdzić logi serwera.", author=szef, internal=True)
            TicketReply.objects.filter(pk=note.pk).update(created_at=answered + timedelta(minutes=5))
            updates["first_response_at"] = answered
        if statuses:
            updates["status"] = statuses[status_index % len(statuses)]
        if close is not None:
            updates["closed_at"] = created + timedelta(hours=close)
        Ticket.objects.filter(pk=ticket.pk).update(**updates)
        made += 1
    return made
