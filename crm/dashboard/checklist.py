"""The getting-started checklist of a new company: four steps, each ticked off by the
company's own data (never by clicking it), shown to the Szef on the home page until
put away (for the whole company; stored as a `ChecklistDismissal` row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
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


@dataclass(frozen=True)
class _Facts:
    dismissed: bool
    staff: bool
    customers: bool
    stage_ids: list[int]  # in display order
    stages_added_later: bool
    email: bool


def _facts() -> _Facts:
    """Everything the checklist needs in one query (the home page counts its queries)."""
    User = get_user_model()
    stage = DealStage._meta.db_table
    sql = f"""
        SELECT
            EXISTS (SELECT 1 FROM {ChecklistDismissal._meta.db_table}),
            (SELECT count(*) FROM {User._meta.db_table}) > 1 OR EXISTS (SELECT 1 FROM {Invitation._meta.db_table}),
            EXISTS (SELECT 1 FROM {Customer._meta.db_table}),
            (SELECT array_agg(id ORDER BY position, id) FROM {stage}),
            COALESCE((SELECT max(created_at) - min(created_at) > %s::interval FROM {stage}), false),
            COALESCE((SELECT smtp_host <> '' FROM {CompanySettings._meta.db_table} WHERE id = 1), false)
    """  # noqa: S608  (table names from model metadata, no input)
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{int(_SETUP_WINDOW.total_seconds())} seconds"])
        row = cursor.fetchone()
    dismissed, staff, customers, stage_ids, added_later, email = row
    return _Facts(dismissed, staff, customers, list(stage_ids or []), added_later, email)


def _pipeline_set_up(facts: _Facts) -> bool:
    """Stages added, removed or reordered since the company was created (renaming leaves no trace)."""
    ids = facts.stage_ids
    return len(ids) != len(DEFAULTS[DealStage]) or ids != sorted(ids) or facts.stages_added_later


def checklist_for(*, user: User) -> Checklist | None:
    """The steps with their state, read from the company's data; None when `user` does
    not see the list (not the Szef, or put away for the company)."""
    if not is_szef(user):
        return None
    facts = _facts()
    if facts.dismissed:
        return None
    steps = [
        ChecklistStep(
            key="staff",
            title=_("Zaproś pracowników"),
            hint=_("Dodaj osoby, które będą pracować w CRM."),
            url=reverse("crmsettings:users"),
            done=facts.staff,
        ),
        ChecklistStep(
            key="customers",
            title=_("Dodaj lub zaimportuj klientów"),
            hint=_("Wpisz pierwszego klienta albo wczytaj listę z pliku CSV lub Excel."),
            url=reverse("contacts:customer_create"),
            done=facts.customers,
            extra_url=reverse("contacts:import_upload"),
            extra_label=_("Importuj z pliku"),
        ),
        ChecklistStep(
            key="pipeline",
            title=_("Ustaw etapy sprzedaży"),
            hint=_("Dopasuj etapy lejka do tego, jak sprzedaje Twoja firma."),
            url=reverse("pipelines:list"),
            done=_pipeline_set_up(facts),
        ),
        ChecklistStep(
            key="email",
            title=_("Podłącz pocztę e-mail"),
            hint=_("Wiadomości z CRM wyjdą z adresu Twojej firmy."),
            url=reverse("crmsettings:email"),
            done=facts.email,
        ),
    ]
    return Checklist(steps=steps)


def checklist_dismiss(*, user: User) -> None:
    """Put the checklist away for the whole company (idempotent)."""
    with transaction.atomic():
        ChecklistDismissal.objects.get_or_create(pk=1, defaults={"dismissed_by": user})
