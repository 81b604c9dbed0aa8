"""The ticket as a record type (see crm.common.records): notes and files, the customer's
timeline, the global search (subject), exports, the trash and hand-over on deactivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.tickets.models import Ticket
from crm.tickets.selectors import tickets_visible_to

TICKET = RecordType(
    key="ticket",
    key_plural="tickets",
    model=Ticket,
    label=_("zgłoszenie"),
    label_plural=_("Zgłoszenia"),
    visible=tickets_visible_to,
    card_url_name="tickets:ticket_detail",
    customer_field="customer",
    search_fields=("subject",),
    category_fields=("priority", "status"),
    owner_field="assignee",
    handover_label=_("zgłoszeń"),
    handover_field_label=_("Zgłoszenia przejmuje"),
    has_notes=True,
    export_columns=(
        ("number", _("Numer")),
        ("subject", _("Temat")),
        ("customer", _("Klient")),
        ("contact", _("Osoba kontaktowa")),
        ("requester_email", _("E-mail zgłaszającego")),
        ("department", _("Dział")),
        ("priority", _("Priorytet")),
        ("status", _("Status")),
        ("assignee", _("Przypisane do")),
        ("created_at", _("Utworzono")),
        ("first_response_at", _("Pierwsza odpowiedź")),
        ("closed_at", _("Zamknięto")),
    ),
    timeline_label=_("Nowe zgłoszenie"),
    timeline_template="tickets/_timeline_item.html",
    icon="bi-life-preserver",
    list_related=("assignee", "status", "priority", "department"),
    position=47,
    custom_fields=True,
)
