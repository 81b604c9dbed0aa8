"""Writes of projects and their milestones (pages and the API call these, so the rules
hold everywhere):

- a project has a name, a customer the actor sees, a start date and no deadline before
  it; the rate, the budget in hours are not negative; members are active staff;
- Szef, Kierownik and the project's owner change and delete it and its milestones;
  anyone creates a project (a restricted Pracownik owns what he creates);
- milestones keep an order (`position`): new ones go last, `milestones_reorder` sets it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import record_owner_for, sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.common.params import date_check
from crm.common.records import record_event
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.projects.models import BillingType, Milestone, Project, ProjectStatus
from crm.projects.selectors import project_change_check
from crm.trash.services import trash_keep

MAX_RATE = Decimal("9999999999.99")
MAX_HOURS = Decimal("9999999.99")
NAME_MAX = 200
EDITABLE_FIELDS = (
    "custom_fields",
    "name",
    "customer",
    "status",
    "billing_type",
    "rate",
    "currency",
    "budget_hours",
    "start_date",
    "deadline",
    "description",
    "owner",
)


def _shown(project: Project) -> dict[str, str]:
    shown = {}
    for name in EDITABLE_FIELDS:
        value = getattr(project, name)
        shown[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    return shown


def _rules_check(project: Project, actor: User | None) -> None:
    errors: dict[str, str] = {}
    project.name = (project.name or "").strip()
    if not project.name:
        errors["name"] = _("Podaj nazwę projektu.")
    elif len(project.name) > NAME_MAX:
        errors["name"] = _("Nazwa projektu może mieć najwyżej 200 znaków.")
    if project.status not in ProjectStatus.values:
        errors["status"] = _("Wybierz status z listy.")
    if project.billing_type not in BillingType.values:
        errors["billing_type"] = _("Wybierz sposób rozliczenia z listy.")
    if project.rate is None or project.rate < 0:
        errors["rate"] = _("Stawka nie może być ujemna.")
    elif project.rate > MAX_RATE:
        errors["rate"] = _("Stawka jest za duża.")
    if project.budget_hours is not None:
        if project.budget_hours < 0:
            errors["budget_hours"] = _("Budżet godzin nie może być ujemny.")
        elif project.budget_hours > MAX_HOURS:
            errors["budget_hours"] = _("Budżet godzin jest za duży.")
    if project.start_date is None:
        errors["start_date"] = _("Podaj datę rozpoczęcia projektu.")
    for name in ("start_date", "deadline"):
        try:
            date_check(getattr(project, name))
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if "deadline" not in errors and project.deadline and project.start_date and project.deadline < project.start_date:
        errors["deadline"] = _("Termin nie może być wcześniejszy niż data rozpoczęcia.")
    if project.customer_id is None:
        errors["customer"] = _("Wybierz klienta.")
    elif (
        actor is not None
        and not sees_everything(actor)
        and not customers_visible_to(actor, everything=False).filter(pk=project.customer_id).exists()
    ):
        errors["customer"] = _("Wybierz klienta z listy.")
    if errors:
        raise ValidationError(errors)


def _members_clean(members: Iterable[User] | None) -> list[User]:
    found = list(members or [])
    if any(not member.is_active for member in found):
        raise ValidationError({"members": _("Członkami projektu mogą być tylko aktywni pracownicy.")})
    return found


def _log(project: Project, actor: User | None, *, kind: str, code: str, params: dict[str, Any]) -> None:
    activity_record(actor=actor, kind=kind, obj=project, code=code, params=params)


@transaction.atomic
def project_create(
    *,
    actor: User | None,
    name: str,
    customer: Customer,
    start_date: date | None = None,
    members: Sequence[User] | None = None,
    **fields: Any,
) -> Project:
    """A project owned by `actor` unless another owner is given."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"project_create got unknown fields: {sorted(unknown)}")
    owner = fields.pop("owner", None)
    owner = record_owner_for(actor=actor, owner=owner if owner is not None else actor)
    project = Project(
        name=name,
        customer=customer,
        start_date=start_date or timezone.localdate(),
        owner=owner if owner is not None and owner.pk else None,
        **fields,
    )
    project.currency = (project.currency or "PLN").upper()
    project.description = (project.description or "").strip()
    _rules_check(project, actor)
    chosen = _members_clean(members)
    project.save()
    project.members.set(chosen)
    params = {"name": project.name, "customer": customer.name}
    _log(project, actor, kind=ActivityKind.CREATE, code="project.created", params=params)
    record_event(
        obj=project,
        actor=actor,
        kind="project_created",
        message=_("Utworzono projekt „%(name)s”.") % params,
        code="project.created",
        params=params,
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor: User | None, members: Sequence[User] | None = None, **changes: Any
) -> Project:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"project_update got unknown fields: {sorted(unknown)}")
    project = Project.objects.select_for_update(of=("self",)).select_related("customer").get(pk=project.pk)
    if actor is not None:
        project_change_check(actor, project)
    before = _shown(project)
    before_members = sorted(project.members.values_list("pk", flat=True))
    if "owner" in changes:
        changes["owner"] = record_owner_for(actor=actor, owner=changes["owner"])
    for name, value in changes.items():
        setattr(project, name, value)
    project.currency = (project.currency or "PLN").upper()
    project.description = (project.description or "").strip()
    _rules_check(project, actor)
    project.save()
    after = _shown(project)
    if members is not None:
        chosen = _members_clean(members)
        project.members.set(chosen)
        after_members = sorted(m.pk for m in chosen)
        if after_members != before_members:
            before["members"] = ", ".join(str(pk) for pk in before_members)
            after["members"] = ", ".join(str(pk) for pk in after_members)
    changed = field_changes(before, after)
    if changed:
        params = {"name": project.name, "changes": changed}
        _log(project, actor, kind=ActivityKind.UPDATE, code="project.updated", params=params)
    return project


@transaction.atomic
def project_delete(*, project: Project, actor: User) -> None:
    """Delete a project with its milestones and tasks; it goes to the trash."""
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    project_change_check(actor, project)
    _log(project, actor, kind=ActivityKind.DELETE, code="project.deleted", params={"name": project.name})
    trash_keep(obj=project, actor=actor)
    project.delete()


# --- milestones ---------------------------------------------------------------------


def _milestone_check(milestone: Milestone) -> None:
    errors: dict[str, str] = {}
    milestone.name = (milestone.name or "").strip()
    milestone.description = (milestone.description or "").strip()
    if not milestone.name:
        errors["name"] = _("Podaj nazwę kamienia milowego.")
    elif len(milestone.name) > NAME_MAX:
        errors["name"] = _("Nazwa kamienia milowego może mieć najwyżej 200 znaków.")
    try:
        date_check(milestone.due_date)
    except ValidationError as exc:
        errors["due_date"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def milestone_create(
    *,
    project: Project,
    actor: User | None,
    name: str,
    due_date: date | None = None,
    description: str = "",
    position: int | None = None,
) -> Milestone:
    if actor is not None:
        project_change_check(actor, project)
    if position is None:
        last = project.milestones.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    milestone = Milestone(project=project, name=name, due_date=due_date, description=description, position=position)
    _milestone_check(milestone)
    milestone.save()
    params = {"name": milestone.name, "project": project.name}
    _log(project, actor, kind=ActivityKind.UPDATE, code="project.milestone_added", params=params)
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor: User | None, **changes: Any) -> Milestone:
    unknown = set(changes) - {"name", "due_date", "description", "position"}
    if unknown:
        raise TypeError(f"milestone_update got unknown fields: {sorted(unknown)}")
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    if actor is not None:
        project_change_check(actor, milestone.project)
    for name, value in changes.items():
        setattr(milestone, name, value)
    _milestone_check(milestone)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User | None) -> None:
    """Delete a milestone; its tasks stay in the project, without a milestone."""
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    if actor is not None:
        project_change_check(actor, milestone.project)
    params = {"name": milestone.name, "project": milestone.project.name}
    _log(milestone.project, actor, kind=ActivityKind.UPDATE, code="project.milestone_deleted", params=params)
    milestone.delete()


@transaction.atomic
def milestones_reorder(*, project: Project, actor: User | None, ids: Sequence[int]) -> list[Milestone]:
    """Put the project's milestones in the order of `ids` (each of them exactly once)."""
    if actor is not None:
        project_change_check(actor, project)
    milestones = {m.pk: m for m in Milestone.objects.select_for_update().filter(project=project)}
    if len(ids) != len(set(ids)) or set(ids) != set(milestones):
        raise ValidationError({"ids": _("Podaj każdy kamień milowy projektu dokładnie raz.")})
    ordered = [milestones[pk] for pk in ids]
    for position, milestone in enumerate(ordered):
        milestone.position = position
    Milestone.objects.bulk_update(ordered, ["position"])
    return ordered


def milestone_move(*, milestone: Milestone, actor: User | None, position: int) -> list[Milestone]:
    """Put a milestone at `position` (1 = first; beyond the ends means first or last)."""
    ids = list(milestone.project.milestones.order_by("position", "id").values_list("pk", flat=True))
    ids.remove(milestone.pk)
    ids.insert(max(0, min(len(ids), position - 1)), milestone.pk)
    return milestones_reorder(project=milestone.project, actor=actor, ids=ids)
