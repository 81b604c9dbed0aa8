"""Celery jobs of the tickets app (sent from a company request: the schema travels in
the task headers, see config/celery.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="tickets.ticket_assigned_email_send")
def ticket_assigned_email_send_task(ticket_id: int, person_id: int, actor_id: int | None) -> bool:
    """The "a ticket is now yours" e-mail (crm.tickets.services.ticket_assigned_notify_send)."""
    from crm.tickets.services import ticket_assigned_notify_send

    return ticket_assigned_notify_send(ticket_id=ticket_id, person_id=person_id, actor_id=actor_id)
