"""The getting-started checklist of a new company: four steps, each ticked off by the
company's own data (never by clicking it), shown to the Szef on the home page until
put away (for the whole company; stored as a `ChecklistDismissal` row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.accounts.access import is_szef
from crm.accounts.models import Invitation, User
from crm.categories.defaults import DEFAULTS
from crm.categories.models import DealStage
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from crm.dashboard.models import ChecklistDismissal

# Stages made within this long of the first one came with the company (provisioning).
_SETUP_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    title: str
    hint: str
    url: str
    done: bool
    extra_url: str = ""
    extra_label: str = ""


@dataclass(frozen=True)
class Checklist:
    steps: list[ChecklistStep]

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)


def _staff_invited() -> bool:
    return get_user_model().objects.count() > 1 or Invitation.objects.exists()


def _pipeline_set_up() -> bool:
    """Stages added, removed or reordered since the company was created (renaming leaves no trace)."""
    stages = list(DealStage.objects.order_by("position", "id").values_list("id", "created_at"))
    if len(stages) != len(DEFAULTS[DealStage]):
        return True
    if [pk for pk, _created in stages] != sorted(pk for pk, _created in stages):
        return True
    first = DealStage.objects.aggregate(first=Min("created_at"))["first"]
    return first is not None and any(created > first + _SETUP_WINDOW for _pk, created in stages)


def checklist_visible(*, user: User) -> bool:
    return is_szef(user) and not ChecklistDismissal.objects.exists()


def checklist_for() -> Checklist:
    """The steps with their state, read from the company's data."""
    steps = [
        ChecklistStep(
            key="staff",
            title=_("Zaproś pracowników"),
            hint=_("Dodaj osoby, które będą pracować w CRM."),
            url=reverse("crmsettings:users"),
            done=_staff_invited(),
        ),
        ChecklistStep(
            key="customers",
            title=_("Dodaj lub zaimportuj klientów"),
            hint=_("Wpisz pierwszego klienta albo wczytaj listę z pliku CSV lub Excel."),
            url=reverse("contacts:customer_create"),
            done=Customer.objects.exists(),
            extra_url=reverse("contacts:import_upload"),
            extra_label=_("Importuj z pliku"),
        ),
        ChecklistStep(
            key="pipeline",
            title=_("Ustaw etapy sprzedaży"),
            hint=_("Dopasuj etapy lejka do tego, jak sprzedaje Twoja firma."),
            url=reverse("crmsettings:sales"),
            done=_pipeline_set_up(),
        ),
        ChecklistStep(
            key="email",
            title=_("Podłącz pocztę e-mail"),
            hint=_("Wiadomości z CRM wyjdą z adresu Twojej firmy."),
            url=reverse("crmsettings:email"),
            done=CompanySettings.current().smtp_configured,
        ),
    ]
    return Checklist(steps=steps)


def checklist_dismiss(*, user: User) -> None:
    """Put the checklist away for the whole company (idempotent)."""
    with transaction.atomic():
        ChecklistDismissal.objects.get_or_create(pk=1, defaults={"dismissed_by": user})
