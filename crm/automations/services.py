"""Automation rules (Szef) and their runs: the listener on the event bus
(crm.common.events) finds the enabled rules whose trigger matches and does each one's
action, logging every run. A rule never runs again inside the chain of events its own
action started (no loops); an overdue invoice runs each rule once, ever. The e-mail
action is rendered here and sent by the worker once the transaction commits
(crm.automations.mail)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.automations.mail import automation_email_queue
from crm.automations.merge import merge_context, merge_render
from crm.automations.models import Action, AutomationRule, AutomationRun, Trigger
from crm.categories.models import ContactSource, stages_labelled
from crm.common.events import Event, event_chain, event_chain_mark
from crm.common.records import record_type_of
from crm.invoicing.models import Invoice
from crm.leads.models import Lead
from crm.leads.services import lead_update
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify
from crm.sales.models import Deal
from crm.sales.services import deal_update
from crm.tasks.services import task_create

EVENT_TRIGGERS = {
    "deal.stage_changed": Trigger.DEAL_STAGE,
    "lead.created": Trigger.LEAD_SOURCE,
    "invoice.overdue": Trigger.INVOICE_OVERDUE,
}
FIELDS: tuple[str, ...] = (
    "name",
    "enabled",
    "trigger",
    "stage",
    "source",
    "action",
    "person",
    "task_title",
    "task_due_days",
    "subject",
    "body",
)
MAX_RULES = 100


def rule_check(rule: AutomationRule) -> None:
    """The fields a trigger and an action need; ValidationError by field."""
    errors: dict[str, str] = {}
    rule.name = (rule.name or "").strip()
    if not rule.name:
        errors["name"] = _("Podaj nazwę reguły.")
    if rule.trigger not in Trigger.values:
        errors["trigger"] = _("Wybierz, kiedy reguła działa.")
    if rule.action not in Action.values:
        errors["action"] = _("Wybierz, co reguła robi.")
    if rule.trigger == Trigger.DEAL_STAGE and rule.stage_id is None:
        errors["stage"] = _("Wybierz etap.")
    if rule.trigger == Trigger.LEAD_SOURCE and rule.source_id is None:
        errors["source"] = _("Wybierz źródło.")
    if rule.trigger != Trigger.DEAL_STAGE:
        rule.stage = None
    if rule.trigger != Trigger.LEAD_SOURCE:
        rule.source = None
    if rule.action == Action.CREATE_TASK and not rule.task_title.strip():
        errors["task_title"] = _("Podaj tytuł zadania.")
    if rule.action == Action.ASSIGN_OWNER:
        if rule.person_id is None:
            errors["person"] = _("Wybierz osobę, która zostanie opiekunem.")
        if rule.trigger == Trigger.INVOICE_OVERDUE:
            errors["action"] = _("Opiekuna można przypisać szansie albo leadowi, nie fakturze.")
    if rule.action == Action.SEND_EMAIL:
        if not rule.subject.strip():
            errors["subject"] = _("Podaj temat e-maila.")
        if not rule.body.strip():
            errors["body"] = _("Podaj treść e-maila.")
    if rule.person_id is not None and not User.objects.filter(pk=rule.person_id, is_active=True).exists():
        errors["person"] = _("Wybierz aktywną osobę z listy.")
    if errors:
        raise ValidationError(errors)


def _log(actor: User | None, code: str, rule: AutomationRule) -> None:
    activity_record(
        actor=actor,
        kind=ActivityKind.SETTINGS,
        code=code,
        params={"name": rule.name},
        object_type="automation",
        object_repr=rule.name,
        message=f"{code}: {rule.name}",
    )


@transaction.atomic
def rule_create(*, actor: User | None, **fields: Any) -> AutomationRule:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"rule_create got unknown fields: {sorted(unknown)}")
    if AutomationRule.objects.count() >= MAX_RULES:
        raise ValidationError(_("Można dodać najwyżej %(n)s reguł.") % {"n": MAX_RULES})
    rule = AutomationRule(**fields)
    rule_check(rule)
    rule.save()
    _log(actor, "automation.created", rule)
    return rule


@transaction.atomic
def rule_update(*, rule: AutomationRule, actor: User | None, **changes: Any) -> AutomationRule:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"rule_update got unknown fields: {sorted(unknown)}")
    rule = AutomationRule.objects.select_for_update().get(pk=rule.pk)
    for name, value in changes.items():
        setattr(rule, name, value)
    rule_check(rule)
    rule.save()
    _log(actor, "automation.updated", rule)
    return rule


@transaction.atomic
def rule_delete(*, rule: AutomationRule, actor: User | None) -> None:
    _log(actor, "automation.deleted", rule)
    rule.delete()


# --- running ---------------------------------------------------------------------


def _matches(rule: AutomationRule, event: Event) -> bool:
    if rule.trigger == Trigger.DEAL_STAGE:
        return bool(event.data.get("stage_id") == rule.stage_id)
    if rule.trigger == Trigger.LEAD_SOURCE:
        return bool(event.data.get("source_id") == rule.source_id)
    return True


def event_received(event: Event) -> None:
    """The listener on the event bus: run the enabled rules this event triggers."""
    trigger = EVENT_TRIGGERS.get(event.name)
    if trigger is None:
        return
    chain = event_chain()
    for rule in AutomationRule.objects.filter(enabled=True, trigger=trigger).select_related("person"):
        if f"rule:{rule.pk}" in chain or not _matches(rule, event):
            continue
        rule_run(rule=rule, obj=event.obj)


def _label(obj: Model) -> str:
    return str(getattr(obj, "number", "") or getattr(obj, "name", "") or obj.pk)[:200]


def rule_run(*, rule: AutomationRule, obj: Model) -> AutomationRun | None:
    """Do the rule's action for `obj` and log the run; None when an overdue invoice has
    had this rule run already. A failing action is logged, the record's change stands."""
    record_type = record_type_of(obj).key
    once = rule.trigger == Trigger.INVOICE_OVERDUE
    if once and AutomationRun.objects.filter(rule=rule, record_type=record_type, record_id=obj.pk, once=True).exists():
        return None
    ok, result, email = True, "", None
    try:
        with transaction.atomic(), event_chain_mark(f"rule:{rule.pk}"):
            done = _act(rule, obj)
        if isinstance(done, _Email):
            email, result = done, _("E-mail do %(address)s czeka na wysłanie.") % {"address": done.to}
        else:
            result = done
    except (ValidationError, smtplib.SMTPException, OSError) as exc:
        ok = False
        result = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc) or type(exc).__name__
    try:
        with transaction.atomic():
            run = AutomationRun.objects.create(
                rule=rule,
                record_type=record_type,
                record_id=obj.pk,
                record_label=_label(obj),
                ok=ok,
                result=result[:500],
                once=once,
            )
    except IntegrityError:  # the same overdue invoice, a run started at the same moment
        return None
    if email is not None:
        automation_email_queue(run=run, to=email.to, subject=email.subject, body=email.body)
    return run


def _owner(obj: Model) -> User | None:
    owner = getattr(obj, "owner", None)
    if owner is None and isinstance(obj, Invoice):
        owner = obj.created_by
    return owner


@dataclass(frozen=True)
class _Email:
    """The rendered message of an e-mail action, sent once the run is saved and committed."""

    to: str
    subject: str
    body: str


def _act(rule: AutomationRule, obj: Model) -> str | _Email:
    context = merge_context(obj)
    person = rule.person or _owner(obj)
    if rule.action == Action.CREATE_TASK:
        links: dict[str, Any] = {"customer": getattr(obj, "customer", None)}
        if isinstance(obj, Deal):
            links["deal"] = obj
        if isinstance(obj, Lead):
            links["lead"] = obj
        task = task_create(
            actor=None,
            title=merge_render(rule.task_title, context)[:200] or rule.name,
            assignee=person,
            due_at=timezone.now() + timedelta(days=rule.task_due_days),
            **links,
        )
        return _("Utworzono zadanie „%(title)s”.") % {"title": task.title}
    if rule.action == Action.ASSIGN_OWNER:
        if isinstance(obj, Deal):
            deal_update(deal=obj, actor=None, owner=rule.person)
        elif isinstance(obj, Lead):
            lead_update(lead=obj, actor=None, owner=rule.person)
        else:
            raise ValidationError(_("Temu rekordowi nie można przypisać opiekuna."))
        obj.owner = rule.person  # the caller's copy (e.g. the API's answer to a create) shows it too
        return _("Opiekun: %(name)s.") % {"name": rule.person}
    if rule.action == Action.SEND_EMAIL:
        address = context.get("customer", {}).get("email") or context.get("lead", {}).get("email")
        if not address:
            raise ValidationError(_("Klient nie ma adresu e-mail."))
        return _Email(to=address, subject=merge_render(rule.subject, context), body=merge_render(rule.body, context))
    # Action.NOTIFY
    if person is None:
        raise ValidationError(_("Nie ma kogo powiadomić: rekord nie ma opiekuna."))
    title = merge_render(rule.subject, context) or f"{rule.name}: {_label(obj)}"
    notify(
        recipient=person,
        kind=NotificationKind.AUTOMATION,
        title=title[:200],
        url=record_type_of(obj).card_url(obj),
    )
    return _("Powiadomiono: %(name)s.") % {"name": person}


def stage_choices() -> list[tuple[int, str]]:
    return [(stage.pk, label) for stage, label in stages_labelled()]


def source_choices() -> list[tuple[int, str]]:
    return [(s.pk, s.name) for s in ContactSource.objects.all()]
