"""The events an endpoint may subscribe to, and the JSON body of a delivery: the event,
its id, when it happened and the record as the REST API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework.serializers import BaseSerializer

from crm.contacts.api import CustomerSerializer
from crm.contacts.models import Customer
from crm.invoicing.models import Invoice
from crm.invoicing.serializers import InvoiceSerializer
from crm.leads.api import LeadSerializer
from crm.leads.models import Lead
from crm.sales.api import DealSerializer
from crm.sales.models import Deal
from crm.tasks.api import TaskSerializer
from crm.tasks.models import Task

EVENTS: dict[str, str | Promise] = {
    "customer.created": _("Klient dodany"),
    "customer.updated": _("Klient zmieniony"),
    "deal.created": _("Szansa dodana"),
    "deal.updated": _("Szansa zmieniona"),
    "deal.stage_changed": _("Szansa w nowym etapie"),
    "deal.won": _("Szansa wygrana"),
    "deal.lost": _("Szansa przegrana"),
    "lead.created": _("Lead dodany"),
    "lead.updated": _("Lead zmieniony"),
    "invoice.created": _("Faktura dodana (szkic)"),
    "invoice.issued": _("Faktura wystawiona"),
    "invoice.paid": _("Faktura opłacona"),
    "invoice.overdue": _("Faktura po terminie"),
    "task.created": _("Zadanie dodane"),
    "task.completed": _("Zadanie wykonane"),
}
TEST_EVENT = "webhook.test"

_SERIALIZERS: list[tuple[type[Model], type[BaseSerializer], str]] = [
    (Customer, CustomerSerializer, "customer"),
    (Deal, DealSerializer, "deal"),
    (Lead, LeadSerializer, "lead"),
    (Invoice, InvoiceSerializer, "invoice"),
    (Task, TaskSerializer, "task"),
]


def event_choices() -> list[tuple[str, str]]:
    return [(name, f"{label} ({name})") for name, label in EVENTS.items()]


def record_representation(obj: Model) -> tuple[str, dict[str, Any]]:
    """(type, the record as GET /api/v1/<type>s/<id>/ returns it)."""
    for model, serializer, key in _SERIALIZERS:
        if isinstance(obj, model):
            return key, dict(serializer(obj, context={}).data)
    raise KeyError(type(obj).__name__)


def payload_build(*, event: str, event_id: str, occurred_at: datetime, obj: Model | None) -> dict[str, Any]:
    body: dict[str, Any] = {"event": event, "id": event_id, "occurred_at": occurred_at.isoformat()}
    if obj is not None:
        key, data = record_representation(obj)
        body["type"] = key
        body["data"] = data
    else:
        body["type"] = "test"
        body["data"] = {"message": "ImCRM test event", "at": timezone.now().isoformat()}
    return body
