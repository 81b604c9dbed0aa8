"""Recurring invoices: Szef or Kierownik makes a VAT invoice recurring (monthly, quarterly,
yearly, optionally until an end date); the daily beat job issues the next one from it,
exactly once per period, or leaves it as a draft when Szef prefers to check it first.

Exactly once: each recurring invoice is handled in its own transaction under its row lock
(`SELECT … FOR UPDATE`); the period's invoice, its `RecurringInvoiceRun` (unique per
period), `last_period` and the moved `next_date` are written together, so a second run, or
a concurrent one that waits for the lock, finds the period done. A failure (say, the NBP
rate of a foreign currency cannot be fetched) rolls the period back: the next run tries
again. A run after days without beat catches up one period at a time (at most
`CATCH_UP_PERIODS`), each dated on its own period's day.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    RecurringInterval,
    RecurringInvoice,
    RecurringInvoiceRun,
)
from crm.invoicing.services import LineData, invoice_create, invoice_issue
from crm.invoicing.services.common import invoice_lines
from crm.invoicing.visibility import money_manage_check
from crm.trash.services import trash_keep

logger = logging.getLogger(__name__)

MONTHS = {RecurringInterval.MONTHLY: 1, RecurringInterval.QUARTERLY: 3, RecurringInterval.YEARLY: 12}
CATCH_UP_PERIODS = 12
RECURRING_KINDS = (InvoiceKind.VAT,)
TEMPLATE_STATUSES = (
    InvoiceStatus.DRAFT,
    InvoiceStatus.ISSUED,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
    InvoiceStatus.OVERDUE,
)


class RecurringError(AppError):
    pass


def period_of(day: date, interval: str) -> str:
    """The period a date falls in: "2026-12", "2026-Q4" or "2026"."""
    if interval == RecurringInterval.YEARLY:
        return f"{day.year}"
    if interval == RecurringInterval.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def date_advance(day: date, interval: str, *, anchor_day: int) -> date:
    """The same day `interval` later (the month's last day when it is shorter)."""
    months = day.month - 1 + MONTHS[RecurringInterval(interval)]
    year, month = day.year + months // 12, months % 12 + 1
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


# --- Szef's and Kierownik's writes ---------------------------------------------------------------


def _rules_check(*, interval: str, next_date: date, end_date: date | None, today: date, creating: bool) -> None:
    if interval not in RecurringInterval.values:
        raise RecurringError(_("Wybierz, co ile wystawiać fakturę."), "interval")
    if creating and next_date < today:
        raise RecurringError(_("Data następnej faktury nie może być wcześniejsza niż dziś."), "next_date")
    if end_date is not None and end_date < next_date:
        raise RecurringError(_("Data końcowa nie może być wcześniejsza niż data następnej faktury."), "end_date")


def _shown(recurring: RecurringInvoice) -> dict[str, str]:
    return {
        "interval": recurring.interval,
        "next_date": recurring.next_date.isoformat(),
        "end_date": recurring.end_date.isoformat() if recurring.end_date else "",
        "issue_automatically": str(recurring.issue_automatically),
        "active": str(recurring.active),
    }


@transaction.atomic
def recurring_create(
    *,
    actor: User,
    template: Invoice,
    interval: str,
    next_date: date,
    end_date: date | None = None,
    issue_automatically: bool = True,
) -> RecurringInvoice:
    """Make `template` (a VAT invoice) recurring, the first copy dated `next_date`."""
    money_manage_check(actor)
    template = Invoice.objects.select_for_update(of=("self",)).get(pk=template.pk)
    if template.kind not in RECURRING_KINDS or template.status not in TEMPLATE_STATUSES:
        raise RecurringError(_("Cykliczna może być faktura VAT (nie pro forma, korekta ani anulowana)."), "template")
    if RecurringInvoice.objects.filter(template=template).exists():
        raise RecurringError(_("Ta faktura jest już cykliczna: zmień jej ustawienia."), "template")
    _rules_check(interval=interval, next_date=next_date, end_date=end_date, today=timezone.localdate(), creating=True)
    recurring = RecurringInvoice.objects.create(
        template=template,
        interval=interval,
        next_date=next_date,
        end_date=end_date,
        issue_automatically=issue_automatically,
        anchor_day=next_date.day,
        created_by=actor,
    )
    params = {"number": str(template), "interval": interval, "next": next_date.isoformat()}
    activity_record(actor=actor, kind=ActivityKind.CREATE, obj=recurring, code="recurring.created", params=params)
    return recurring


@transaction.atomic
def recurring_update(*, actor: User, recurring: RecurringInvoice, **changes: Any) -> RecurringInvoice:
    """Change interval, next date, end date, drafts or issuing, or stop/resume (`active`)."""
    allowed = {"interval", "next_date", "end_date", "issue_automatically", "active"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"recurring_update got unknown fields: {sorted(unknown)}")
    money_manage_check(actor)
    recurring = RecurringInvoice.objects.select_for_update().select_related("template").get(pk=recurring.pk)
    before = _shown(recurring)
    for name, value in changes.items():
        setattr(recurring, name, value)
    moved = "next_date" in changes and before["next_date"] != recurring.next_date.isoformat()
    _rules_check(
        interval=recurring.interval,
        next_date=recurring.next_date,
        end_date=recurring.end_date,
        today=timezone.localdate(),
        creating=moved,
    )
    if moved:
        recurring.anchor_day = recurring.next_date.day
    recurring.save()
    after = _shown(recurring)
    changed = [{"field": k, "from": v, "to": after[k]} for k, v in before.items() if v != after[k]]
    if changed:
        number = str(recurring.template)
        if before["active"] == "True" and after["active"] == "False":
            activity_record(
                actor=actor,
                kind=ActivityKind.UPDATE,
                obj=recurring,
                code="recurring.stopped",
                params={"number": number},
            )
        else:
            params = {"number": number, "changes": changed}
            activity_record(
                actor=actor, kind=ActivityKind.UPDATE, obj=recurring, code="recurring.updated", params=params
            )
    return recurring


@transaction.atomic
def recurring_delete(*, actor: User, recurring: RecurringInvoice) -> None:
    """Stop for good: the invoices made so far stay."""
    money_manage_check(actor)
    activity_record(
        actor=actor,
        kind=ActivityKind.DELETE,
        obj=recurring,
        code="recurring.stopped",
        params={"number": str(recurring.template)},
    )
    name = _("Faktura cykliczna %(number)s") % {"number": recurring.template}
    trash_keep(obj=recurring, actor=actor, name=name)  # back from Settings > Kosz, with its periods
    recurring.delete()


# --- the daily job ------------------------------------------------------------------------------------


def _copy(template: Invoice, *, day: date) -> Invoice:
    """A VAT draft for `day`: the template's customer, lines, payment method and term."""
    term = max((template.due_date - template.issue_date).days, 0)
    return invoice_create(
        actor=None,
        customer=template.customer,
        lines=[LineData.of(line) for line in invoice_lines(template)],
        kind=InvoiceKind.VAT,
        issue_date=day,
        sale_date=day,
        due_date=day + timedelta(days=term),
        payment_method=template.payment_method,
        currency=template.currency,
        place_of_issue=template.place_of_issue,
        exemption_basis=template.exemption_basis,
        split_payment=template.split_payment,
        notes=template.notes,
        deal=template.deal,
        owner=template.owner,
    )


def _period_issue(recurring: RecurringInvoice, *, today: date) -> Invoice | None:
    """Issue (or draft) the period of `next_date` on a locked row; move on to the next."""
    day = recurring.next_date
    period = period_of(day, recurring.interval)
    invoice: Invoice | None = None
    if period != recurring.last_period and not recurring.runs.filter(period=period).exists():
        invoice = _copy(recurring.template, day=day)
        if recurring.issue_automatically:
            invoice = invoice_issue(invoice=invoice, actor=None, today=today)
        RecurringInvoiceRun.objects.create(recurring=recurring, period=period, invoice=invoice)
        params = {"number": invoice.number, "period": period, "template": str(recurring.template)}
        code = "recurring.issued" if recurring.issue_automatically else "recurring.drafted"
        activity_record(actor=None, kind=ActivityKind.CREATE, obj=invoice, code=code, params=params)
    recurring.last_period = period
    recurring.next_date = date_advance(day, recurring.interval, anchor_day=recurring.anchor_day)
    if recurring.end_date is not None and recurring.next_date > recurring.end_date:
        recurring.active = False
    recurring.save(update_fields=["last_period", "next_date", "active"])
    return invoice


def recurring_due(*, today: date) -> list[int]:
    return list(
        RecurringInvoice.objects.filter(active=True, next_date__lte=today)
        .order_by("next_date", "id")
        .values_list("pk", flat=True)
    )


def recurring_invoices_issue(*, today: date | None = None) -> int:
    """The daily job of the active company: every due period of every active recurring
    invoice, each once. Returns how many invoices were made."""
    today = today or timezone.localdate()
    made = 0
    for pk in recurring_due(today=today):
        for _step in range(CATCH_UP_PERIODS):
            try:
                with transaction.atomic():
                    recurring = (
                        RecurringInvoice.objects.select_for_update(of=("self",))
                        .select_related("template__customer")
                        .filter(pk=pk, active=True, next_date__lte=today)
                        .first()
                    )
                    if recurring is None:
                        break
                    if recurring.end_date is not None and recurring.next_date > recurring.end_date:
                        recurring.active = False
                        recurring.save(update_fields=["active"])
                        break
                    if _period_issue(recurring, today=today) is not None:
                        made += 1
            except Exception:  # one bad template must not stop the others; tried again next run
                logger.exception("recurring invoice %s failed, to be retried", pk)
                break
    return made
