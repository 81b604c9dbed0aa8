"""The ticket priorities and statuses every company starts with, named in the language of
the signup (Polish msgids, translated when the company is created). "Zamknięte" is locked
(code "closed"): Szef may rename and recolour it, not delete it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from crm.tickets.models import TicketPriority, TicketStatus, TicketStatusCode

if TYPE_CHECKING:
    from crm.accounts.models import User
    from tenants.models import Company

DEFAULT_PRIORITIES: list[dict[str, Any]] = [
    {"name": _("Niski"), "color": "#7f8c8d"},
    {"name": _("Normalny"), "color": "#2457c5"},
    {"name": _("Wysoki"), "color": "#d35400"},
    {"name": _("Pilny"), "color": "#c0392b"},
]
DEFAULT_STATUSES: list[dict[str, Any]] = [
    {"name": _("Otwarte"), "color": "#2457c5"},
    {"name": _("W toku"), "color": "#f39c12"},
    {"name": _("Oczekuje na klienta"), "color": "#8e44ad"},
    {"name": _("Zamknięte"), "color": "#1e8449", "code": TicketStatusCode.CLOSED, "locked": True},
]


def ticket_categories_defaults_create(*, language: str = "pl") -> int:
    """Create the default priorities and statuses in the active company schema where the
    list is empty (the locked "Zamknięte" is added if missing), named in `language`."""
    if language not in dict(settings.LANGUAGES):
        language = "pl"
    made = 0
    with translation.override(language):
        if not TicketPriority.objects.exists():
            rows = [
                TicketPriority(name=str(row["name"]), color=row["color"], position=number)
                for number, row in enumerate(DEFAULT_PRIORITIES, start=1)
            ]
            made += len(TicketPriority.objects.bulk_create(rows))
        if not TicketStatus.objects.exists():
            statuses = [
                TicketStatus(**{**row, "name": str(row["name"])}, position=number)
                for number, row in enumerate(DEFAULT_STATUSES, start=1)
            ]
            made += len(TicketStatus.objects.bulk_create(statuses))
        elif not TicketStatus.objects.filter(code=TicketStatusCode.CLOSED).exists():
            closed = DEFAULT_STATUSES[-1]
            name = str(closed["name"])
            if TicketStatus.objects.filter(name__iexact=name).exists():
                name = f"{name} (2)"
            TicketStatus.objects.create(
                name=name, color=closed["color"], code=TicketStatusCode.CLOSED, locked=True, position=999
            )
            made += 1
    return made


def ticket_categories_setup_step(*, company: Company, owner: User | None) -> None:
    """A new company's ticket priorities and statuses in its owner's language."""
    ticket_categories_defaults_create(language=getattr(owner, "language", "") or "pl")
