"""Writes of tasks. Pages and the API call these, so the rules hold everywhere:

- a title is required; the start may not be later than the due time;
- a task linked to a deal belongs to that deal's customer (filled in when missing,
  an error when another customer is given);
- marking done sets `completed_at`, un-marking clears it;
- moving the due time (or giving the task to someone else) re-arms the e-mail
  reminder (`reminder_sent_at` and a recorded failure cleared).

Reminders (`task_reminders_send`) claim each task with a conditional UPDATE, so a
reminder goes out once even when two beat runs or two workers overlap. A send that
fails for a reason a retry cannot fix (a malformed or refused address, a rejected
message) is recorded on the task once (`reminder_failed_at`, shown on the task) and
not tried again; any other failure (the mail server down) is retried next minute.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.categories.models import CONTACT_CODES, TaskCategory
from crm.common.events import event_emit
from crm.common.records import record_event, record_type
from crm.company.mail import company_email_send
from crm.company.mail_templates import mail_text, merge_base
from crm.company.models import EmailTemplateKind
from crm.contacts.models import Customer
from crm.contacts.services import customer_contacted
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify
from crm.tasks.models import ReminderFailure, Task, TaskVisibility
from crm.tasks.selectors import task_change_check
from crm.trash.services import trash_keep
from tenants.db import connection
from tenants.models import Company
from tenants.urls_helpers import company_url

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "starts_at",
    "due_at",
    "assignee",
    "visibility",
    "customer",
    "deal",
    "done",
    "reminder_minutes",
    "project",
    "milestone",
    "hourly_rate",
    "visible_to_customer",
    "lead",
)
# A reminder whose moment passed longer ago than this is not sent any more
# (e.g. a task created already overdue, or beat stopped for a day).
REMINDER_STALE_AFTER = timedelta(hours=6)


def task_rules_check(task: Task) -> None:
    """Raise a ValidationError (per field, in the user's language) when the task breaks a rule."""
    errors: dict[str, str] = {}
    if not (task.title or "").strip():
        errors["title"] = _("Podaj tytuł zadania.")
    if task.starts_at and task.due_at and task.starts_at > task.due_at:
        errors["due_at"] = _("Termin nie może być wcześniejszy niż początek zadania.")
    if task.visibility not in TaskVisibility.values:
        errors["visibility"] = _("Wybierz widoczność zadania.")
    if task.deal is not None:
        if task.customer is None:
            task.customer = task.deal.customer
        elif task.deal.customer_id != task.customer.pk:
            errors["deal"] = _("Ta szansa sprzedaży należy do innego klienta.")
    if task.milestone is not None:
        if task.project is None:
            task.project = task.milestone.project
        elif task.milestone.project_id != task.project.pk:
            errors["milestone"] = _("Ten kamień milowy należy do innego projektu.")
    if task.project is not None and task.customer is None and task.deal is None:
        task.customer = task.project.customer
    if task.hourly_rate is not None and task.hourly_rate < 0:
        errors["hourly_rate"] = _("Stawka godzinowa nie może być ujemna.")
    if errors:
        raise ValidationError(errors)


def task_project_check(task: Task, actor: User | None) -> None:
    """The project a task is put in must be one `actor` sees (the projects app registers
    its visibility rule in the record registry; tasks do not import it)."""
    if actor is None or task.project_id is None:
        return
    try:
        visible = record_type("project").visible
    except KeyError:  # pragma: no cover - the projects app is always installed
        return
    if not visible(actor).filter(pk=task.project_id).exists():
        raise ValidationError({"project": _("Wybierz projekt z listy.")})


def _customer_contacted_by(task: Task, *, actor: User | None) -> None:
    """A done call or meeting (its category's code) counts as contact with the customer."""
    if task.customer_id is None or task.category_id is None:
        return
    if TaskCategory.objects.filter(pk=task.category_id, code__in=CONTACT_CODES).exists():
        customer = Customer.objects.select_for_update().get(pk=task.customer_id)
        customer_contacted(customer=customer, actor=actor, at=task.completed_at)


def _shown(task: Task) -> dict[str, str]:
    """The editable fields as the activity log shows them (names, local times)."""
    shown = {}
    for name in EDITABLE_FIELDS:
        value = getattr(task, name)
        if isinstance(value, datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        shown[name] = "" if value is None else str(value)
    return shown


def _save(
    task: Task,
    *,
    actor: User | None,
    was_done: bool,
    old_due: datetime | None,
    old_assignee_id: int | None = None,
    before: dict[str, str] | None = None,
) -> Task:
    created = task.pk is None
    task_rules_check(task)
    task.title = task.title.strip()
    if task.done and not was_done:
        task.completed_at = timezone.now()
    elif not task.done:
        task.completed_at = None
    if task.due_at != old_due:
        task.reminder_sent_at = None
    if task.due_at != old_due or task.assignee_id != old_assignee_id:
        task.reminder_failed_at = None
        task.reminder_failure = ""
    task.save()
    if task.assignee_id is not None and (created or task.assignee_id != old_assignee_id):
        notify(
            recipient=task.assignee,
            kind=NotificationKind.TASK_ASSIGNED,
            title=task.title,
            url=reverse("tasks:task_detail", args=[task.pk]),
            actor=actor,
        )
    if task.done and not was_done and task.customer_id:
        _customer_contacted_by(task, actor=actor)
        record_event(
            obj=task,
            actor=actor,
            kind="task_completed",
            message=_("Wykonano zadanie „%(task)s”.") % {"task": task.title},
        )
    if created:
        activity_record(
            actor=actor, kind=ActivityKind.CREATE, obj=task, code="task.created", params={"name": task.title}
        )
        event_emit("task.created", task, actor=actor)
    else:
        changes = field_changes(before or {}, _shown(task))
        if changes:
            params = {"name": task.title, "changes": changes}
            activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=task, code="task.updated", params=params)
    if task.done and not was_done:
        event_emit("task.completed", task, actor=actor)
    return task


@transaction.atomic
def task_create(*, actor: User | None, title: str, **fields: Any) -> Task:
    """A new task created by `actor`, assigned to `actor` unless another assignee is given."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"task_create got unknown fields: {sorted(unknown)}")
    fields.setdefault("assignee", actor)
    task = Task(title=title, created_by=actor, **fields)
    task_project_check(task, actor)
    return _save(task, actor=actor, was_done=False, old_due=None, old_assignee_id=task.assignee_id)


@transaction.atomic
def task_update(*, task: Task, actor: User, **changes: Any) -> Task:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"task_update got unknown fields: {sorted(unknown)}")
    task_change_check(actor, task)
    was_done, old_due, old_assignee_id, before = task.done, task.due_at, task.assignee_id, _shown(task)
    old_project_id = task.project_id
    for name, value in changes.items():
        setattr(task, name, value)
    if task.project_id != old_project_id:
        task_project_check(task, actor)
    return _save(task, actor=actor, was_done=was_done, old_due=old_due, old_assignee_id=old_assignee_id, before=before)


def task_done_set(*, task: Task, done: bool, actor: User) -> Task:
    if task.done == done:
        return task
    return task_update(task=task, actor=actor, done=done)


def task_reschedule(*, task: Task, day: date, actor: User) -> Task:
    """Calendar drag and drop: move the due time to `day` (same local time of day);
    the start moves by the same number of days."""
    if task.due_at is None:
        raise ValidationError({"due_at": _("To zadanie nie ma terminu, więc nie można go przenieść.")})
    local_due = timezone.localtime(task.due_at)
    shift = day - local_due.date()
    if not shift:
        return task
    new_due = timezone.make_aware(datetime.combine(day, local_due.time().replace(tzinfo=None)))
    changes: dict[str, Any] = {"due_at": new_due}
    if task.starts_at is not None:
        local_start = timezone.localtime(task.starts_at)
        changes["starts_at"] = timezone.make_aware(
            datetime.combine(local_start.date() + shift, local_start.time().replace(tzinfo=None))
        )
    return task_update(task=task, actor=actor, **changes)


@transaction.atomic
def task_delete(*, task: Task, actor: User) -> None:
    task_change_check(actor, task)
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=task, code="task.deleted", params={"name": task.title})
    trash_keep(obj=task, actor=actor)
    task.delete()


# --- E-mail reminders ----------------------------------------------------------


def task_reminders_due(*, now: datetime | None = None) -> list[int]:
    """Ids of tasks whose reminder moment has come and which were not reminded yet."""
    now = now or timezone.now()
    return list(
        Task.objects.filter(
            reminder_sent_at__isnull=True,
            reminder_failed_at__isnull=True,
            done=False,
            remind_at__isnull=False,
            remind_at__lte=now,
            remind_at__gt=now - REMINDER_STALE_AFTER,
            assignee__isnull=False,
            assignee__is_active=True,
        )
        .order_by("remind_at")
        .values_list("id", flat=True)[:500]
    )


def _address_sendable(address: str) -> bool:
    if "\r" in address or "\n" in address:
        return False
    try:
        validate_email(address)
        sanitize_address(address, "utf-8")
    except (ValidationError, ValueError):
        return False
    return True


def reminder_failure_of(exc: BaseException, *, address: str) -> str | None:
    """The ReminderFailure a send error to `address` stands for when retrying cannot
    help, else None (the server unreachable or busy, a temporary 4xx answer, the
    company's own SMTP settings: retried next run)."""
    if isinstance(exc, (ValueError, UnicodeError)) and not _address_sendable(address):
        return ReminderFailure.ADDRESS  # BadHeaderError is a ValueError too
    if isinstance(exc, BadHeaderError):
        return ReminderFailure.MESSAGE
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return ReminderFailure.REFUSED if not codes or max(codes) >= 500 else None
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        return ReminderFailure.MESSAGE  # 5xx to the message itself
    return None


def task_reminder_send(*, task_id: int, now: datetime | None = None) -> bool:
    """Claim one task's reminder and send it; True when this call sent it.

    The claim is `UPDATE ... SET reminder_sent_at = now WHERE reminder_sent_at IS
    NULL`: a concurrent run blocks on the row lock, then finds the row claimed and
    updates nothing. A send that fails for good is recorded in the same transaction
    (`reminder_failed_at`, the claim released); any other failure rolls the claim
    back so the next run retries.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Task.objects.filter(
            pk=task_id, reminder_sent_at__isnull=True, reminder_failed_at__isnull=True, done=False
        ).update(reminder_sent_at=now)
        if not claimed:
            return False
        task = Task.objects.select_related("assignee", "customer").get(pk=task_id)
        if task.assignee is None or not task.assignee.email:
            return False
        try:
            _reminder_email_send(task)
        except Exception as exc:
            failure = reminder_failure_of(exc, address=task.assignee.email)
            if failure is None:
                raise
            logger.warning("task reminder %s failed for good (%s): %s", task_id, failure, exc)
            Task.objects.filter(pk=task_id).update(
                reminder_sent_at=None, reminder_failed_at=now, reminder_failure=failure
            )
            return False
    return True


def _company_name(subdomain: str | None) -> str:
    name = getattr(connection.tenant, "name", None)
    if name is None and subdomain:
        name = Company.objects.filter(subdomain=subdomain).values_list("name", flat=True).first()
    return str(name or "")


def _reminder_email_send(task: Task) -> None:
    assert task.assignee is not None
    subdomain = getattr(connection.tenant, "subdomain", None)
    if subdomain is None:  # schema_context() sets a stand-in tenant without the company's fields
        subdomain = (
            Company.objects.filter(schema_name=connection.schema_name).values_list("subdomain", flat=True).first()
        )
    link = company_url(subdomain or "", reverse("tasks:task_detail", args=[task.pk]))
    with translation.override(task.assignee.language or "pl"), timezone.override(timezone.get_default_timezone()):
        context = {"task": task, "link": link, "due": timezone.localtime(task.due_at) if task.due_at else None}
        merge = merge_base(customer=task.customer, user=task.assignee, company=_company_name(subdomain))
        due = timezone.localtime(task.due_at) if task.due_at else None
        merge["task"] = {
            "title": task.title,
            "due": formats.date_format(due, "SHORT_DATETIME_FORMAT") if due else "",
            "link": link,
            "description": task.description or "",
        }
        subject, body = mail_text(
            kind=EmailTemplateKind.TASK_REMINDER,
            language=task.assignee.language or "pl",
            context=merge,
            default=lambda: (
                _("Przypomnienie: %(title)s") % {"title": task.title},
                render_to_string("tasks/email/reminder.txt", context),
            ),
        )
    company_email_send(subject=subject, body=body, to=[task.assignee.email])


def task_reminders_send(*, now: datetime | None = None) -> int:
    """Send every due reminder of the active company schema; returns how many were sent."""
    sent = 0
    for task_id in task_reminders_due(now=now):
        try:
            if task_reminder_send(task_id=task_id, now=now):
                sent += 1
        except Exception:  # one bad send must not stop the others; retried next run
            logger.exception("task reminder %s failed, to be retried", task_id)
    return sent
