"""Writes of logged time: the timer (start, stop), manual entries, changes, deletion and
billing a project's unbilled time on a draft invoice.

Rules every entry point shares (pages, API):
- one running timer per person: starting one stops the running one (as Toggl does);
- a person's entries never overlap (a running timer lasts until now);
- no time in the future, no end before the start, at most MAX_MINUTES in one entry;
- the task, if any, belongs to the entry's project;
- an entry on an invoice (a draft: reserved; an issued one: invoiced) cannot be changed
  or deleted; deleting the draft frees it;
- a Pracownik logs and changes only his own time, on projects he may see.

Each person's writes are serialised by locking his user row, so two tabs starting timers
at once cannot both win; billing locks the project row and its unbilled entries, so the
same time is never billed twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.types import AuthUser
from crm.invoicing.models import Invoice, InvoiceStatus
from crm.invoicing.services.common import LineData
from crm.invoicing.services.drafts import invoice_create
from crm.projects.models import BillingType, Project
from crm.tasks.models import Task
from crm.timetracking.models import TimeEntry
from crm.timetracking.selectors import (
    entry_rate,
    fixed_price_billed,
    projects_visible_to,
    time_entry_may_change,
    unbilled_entries,
)
from crm.trash.services import trash_keep

MAX_MINUTES = 24 * 60  # one entry covers at most a day
NOTE_MAX = 2000
# Clocks of phones and servers differ a little: a start up to this far ahead is "now".
CLOCK_SLACK = timedelta(minutes=1)
GROUP_BY_TASK = "task"
GROUP_BY_PERSON = "person"


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds() / 60))


def _lock_person(user: AuthUser) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _project_check(actor: AuthUser, project: Project) -> None:
    if not projects_visible_to(actor).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("Wybierz projekt z listy.")})


def _task_check(project: Project, task: Task | None) -> None:
    if task is not None and task.project_id != project.pk:
        raise ValidationError({"task": _("To zadanie nie należy do wybranego projektu.")})


def _person_for(actor: AuthUser, person: User | None) -> User:
    """Whose time it is: a Pracownik logs only his own."""
    if person is None or person.pk == actor.pk:
        return actor
    if not is_manager(actor):
        raise ValidationError({"user": _("Możesz rejestrować tylko własny czas.")})
    if not person.is_active:
        raise ValidationError({"user": _("Wybierz aktywną osobę.")})
    return person


def _note_check(note: str) -> str:
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Notatka może mieć najwyżej %(max)s znaków.") % {"max": NOTE_MAX}})
    return note.strip()


def _overlap_check(person: User, start: datetime, end: datetime | None, *, exclude: int | None = None) -> None:
    """Refuse when [start, end) (end None: still running) meets another entry of `person`."""
    others = TimeEntry.objects.filter(user=person).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    if end is not None:
        others = others.filter(started_at__lt=end)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    clash = others.order_by("started_at").first()
    if clash is not None:
        start_shown = timezone.localtime(clash.started_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(
            {
                "started_at": _("Ten czas nakłada się na inny wpis (%(project)s, od %(start)s).")
                % {"project": clash.project.name, "start": start_shown}
            }
        )


def _locked_check(entry: TimeEntry) -> None:
    if entry.invoice_id is None:
        return
    invoice = Invoice.objects.only("status", "number").get(pk=entry.invoice_id)
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(
            _("Ten czas jest już zafakturowany (%(number)s): nie można go zmienić.") % {"number": invoice.number}
        )
    raise ValidationError(_("Ten czas jest na szkicu faktury: usuń szkic albo wystaw fakturę, zanim go zmienisz."))


def _change_check(actor: AuthUser, entry: TimeEntry) -> None:
    if not time_entry_may_change(actor, entry):
        raise PermissionDenied(_("Pracownik zmienia tylko własny czas pracy."))


def _times_check(start: datetime, end: datetime, now: datetime) -> None:
    if start > now + CLOCK_SLACK:
        raise ValidationError({"started_at": _("Nie można rejestrować czasu w przyszłości.")})
    if end > now + CLOCK_SLACK:
        raise ValidationError({"ended_at": _("Nie można rejestrować czasu w przyszłości.")})
    if end <= start:
        raise ValidationError({"ended_at": _("Koniec musi być później niż początek.")})
    if end - start > timedelta(minutes=MAX_MINUTES):
        raise ValidationError({"ended_at": _("Jeden wpis może obejmować najwyżej 24 godziny.")})


def _log(actor: AuthUser | None, kind: str, entry: TimeEntry, code: str) -> None:
    params = {"project": entry.project.name, "minutes": entry.minutes}
    activity_record(actor=actor, kind=kind, obj=entry, code=code, params=params)


# --- the timer -------------------------------------------------------------------------


def _stop(entry: TimeEntry, now: datetime) -> TimeEntry:
    entry.ended_at = max(now, entry.started_at)
    entry.minutes = _minutes(entry.started_at, entry.ended_at)
    entry.save(update_fields=["ended_at", "minutes", "updated_at"])
    return entry


@transaction.atomic
def timer_start(*, actor: AuthUser, project: Project, task: Task | None = None, note: str = "") -> TimeEntry:
    """Start `actor`'s timer on `project` (and `task`) now; a running timer stops first."""
    _project_check(actor, project)
    _task_check(project, task)
    note = _note_check(note)
    _lock_person(actor)
    now = timezone.now()
    running = TimeEntry.objects.select_for_update().filter(user_id=actor.pk, ended_at__isnull=True).first()
    if running is not None:
        _stop(running, now)
    _overlap_check(actor, now, None)
    entry = TimeEntry.objects.create(project=project, task=task, user=actor, started_at=now, note=note)
    _log(actor, ActivityKind.CREATE, entry, "time.started")
    return entry


@transaction.atomic
def timer_stop(*, actor: AuthUser) -> TimeEntry | None:
    """Stop `actor`'s running timer; None when none runs (stopping twice changes nothing)."""
    _lock_person(actor)
    running = (
        TimeEntry.objects.select_for_update(of=("self",))
        .select_related("project")
        .filter(user_id=actor.pk, ended_at__isnull=True)
        .first()
    )
    if running is None:
        return None
    _stop(running, timezone.now())
    _log(actor, ActivityKind.UPDATE, running, "time.stopped")
    return running


# --- entries -------------------------------------------------------------------------------


def _end_of(start: datetime, end: datetime | None, minutes: int | None) -> datetime:
    if end is None and minutes is None:
        raise ValidationError({"ended_at": _("Podaj koniec albo liczbę minut.")})
    if minutes is not None and minutes <= 0:
        raise ValidationError({"minutes": _("Podaj dodatnią liczbę minut.")})
    if minutes is not None and minutes > MAX_MINUTES:
        raise ValidationError({"minutes": _("Jeden wpis może obejmować najwyżej 24 godziny.")})
    if end is None:
        assert minutes is not None
        return start + timedelta(minutes=minutes)
    if minutes is not None and abs(_minutes(start, end) - minutes) > 1:
        raise ValidationError({"minutes": _("Liczba minut nie zgadza się z początkiem i końcem.")})
    return end


@transaction.atomic
def time_entry_create(
    *,
    actor: AuthUser,
    project: Project,
    started_at: datetime,
    ended_at: datetime | None = None,
    minutes: int | None = None,
    task: Task | None = None,
    user: User | None = None,
    billable: bool = True,
    note: str = "",
) -> TimeEntry:
    """A finished entry typed in: a start and either its end or its minutes."""
    person = _person_for(actor, user)
    _project_check(actor, project)
    _task_check(project, task)
    note = _note_check(note)
    end = _end_of(started_at, ended_at, minutes)
    _times_check(started_at, end, timezone.now())
    _lock_person(person)
    _overlap_check(person, started_at, end)
    entry = TimeEntry.objects.create(
        project=project,
        task=task,
        user=person,
        started_at=started_at,
        ended_at=end,
        minutes=_minutes(started_at, end),
        billable=billable,
        note=note,
    )
    _log(actor, ActivityKind.CREATE, entry, "time.created")
    return entry


EDITABLE = ("project", "task", "started_at", "ended_at", "minutes", "billable", "note", "user")


@transaction.atomic
def time_entry_update(*, entry: TimeEntry, actor: AuthUser, **changes: Any) -> TimeEntry:
    """Change a finished entry of one's own (Szef and Kierownik: anyone's); a running timer
    changes its project, task and note only."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"time_entry_update got unknown fields: {sorted(unknown)}")
    entry = TimeEntry.objects.select_for_update(of=("self",)).select_related("project", "user").get(pk=entry.pk)
    _change_check(actor, entry)
    _locked_check(entry)
    person = entry.user
    if "user" in changes and changes["user"] is not None and changes["user"].pk != entry.user_id:
        person = _person_for(actor, changes["user"])
    project = changes.get("project") or entry.project
    if project.pk != entry.project_id:
        _project_check(actor, project)
    task = changes.get("task", entry.task if project.pk == entry.project_id else None)
    _task_check(project, task)
    entry.project, entry.task, entry.user = project, task, person
    if "note" in changes:
        entry.note = _note_check(changes["note"] or "")
    if "billable" in changes:
        entry.billable = bool(changes["billable"])
    start = changes.get("started_at") or entry.started_at
    if entry.running:
        if any(name in changes for name in ("ended_at", "minutes")) or start != entry.started_at:
            raise ValidationError({"ended_at": _("Zatrzymaj licznik, zanim zmienisz czas tego wpisu.")})
    else:
        times_changed = any(name in changes for name in ("started_at", "ended_at", "minutes")) or person != entry.user
        if times_changed:
            minutes = changes.get("minutes")
            end = changes.get("ended_at")
            if end is None and minutes is None:
                end = entry.ended_at if "started_at" not in changes else start + timedelta(minutes=entry.minutes)
            end = _end_of(start, end, minutes)
            _times_check(start, end, timezone.now())
            _lock_person(person)
            _overlap_check(person, start, end, exclude=entry.pk)
            entry.started_at, entry.ended_at, entry.minutes = start, end, _minutes(start, end)
    entry.save()
    _log(actor, ActivityKind.UPDATE, entry, "time.updated")
    return entry


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry, actor: AuthUser) -> None:
    entry = TimeEntry.objects.select_for_update(of=("self",)).select_related("project").get(pk=entry.pk)
    _change_check(actor, entry)
    _locked_check(entry)
    _log(actor, ActivityKind.DELETE, entry, "time.deleted")
    trash_keep(obj=entry, actor=actor if isinstance(actor, User) else None)
    entry.delete()


# --- billing ---------------------------------------------------------------------------


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _lines(project: Project, entries: list[TimeEntry], group_by: str) -> tuple[list[LineData], list[TimeEntry]]:
    """Invoice lines for `entries` and the entries they bill (those with a rate)."""
    if project.billing_type == BillingType.FIXED:
        name = _("%(project)s — cena stała") % {"project": project.name}
        return [LineData(name=name, net_price=project.rate, quantity=Decimal(1), unit=_("usł."))], entries
    groups: dict[tuple[str, Decimal], int] = defaultdict(int)
    billed = []
    for entry in entries:
        rate = entry_rate(project, entry)
        if rate <= 0:
            continue
        billed.append(entry)
        if group_by == GROUP_BY_PERSON:
            label = str(entry.user)
        else:
            label = entry.task.title if entry.task is not None else _("prace bez zadania")
        groups[(label, rate)] += entry.minutes
    lines = [
        LineData(
            name=_("%(project)s — %(what)s") % {"project": project.name, "what": label},
            net_price=rate,
            quantity=_hours(minutes),
            unit=_("godz."),
        )
        for (label, rate), minutes in sorted(groups.items())
        if minutes > 0
    ]
    return lines, billed


def invoice_may_bill(user: AuthUser) -> bool:
    return is_manager(user)


@transaction.atomic
def project_time_invoice(*, project: Project, actor: User, group_by: str = GROUP_BY_TASK) -> Invoice:
    """A draft VAT invoice for the project's customer with the unbilled billable time, one
    line per task or per person (`group_by`); the entries are reserved on it (and invoiced
    once it is issued). A fixed-price project bills its price once. Nothing to bill: a
    ValidationError and nothing made."""
    if not invoice_may_bill(actor):
        raise PermissionDenied(_("Czas pracy fakturują Szef i Kierownik."))
    if group_by not in (GROUP_BY_TASK, GROUP_BY_PERSON):
        raise ValidationError({"group_by": _("Wybierz: według zadań albo według osób.")})
    project = Project.objects.select_for_update().select_related("customer").get(pk=project.pk)
    entries = list(
        unbilled_entries(project)
        .select_for_update(of=("self",))
        .select_related("task", "user")
        .order_by("started_at", "id")
    )
    if project.billing_type == BillingType.FIXED and fixed_price_billed(project):
        entries = []
    lines, billed = _lines(project, entries, group_by)
    if not lines or not billed:
        raise ValidationError({"project": _("Nie ma niezafakturowanego czasu do rozliczenia w tym projekcie.")})
    invoice = invoice_create(
        actor=actor,
        customer=project.customer,
        lines=lines,
        currency=project.currency,
        notes=_("Czas pracy w projekcie %(project)s.") % {"project": project.name},
    )
    TimeEntry.objects.filter(pk__in=[entry.pk for entry in billed]).update(invoice=invoice, updated_at=timezone.now())
    activity_record(
        actor=actor,
        kind=ActivityKind.UPDATE,
        obj=project,
        code="time.billed",
        params={"project": project.name, "entries": len(billed)},
    )
    return invoice
