"""Reminder e-mails to customers about overdue invoices, through the company's SMTP.

Szef sets the schedule and the texts in Settings (`PaymentReminderSettings`): the first
reminder `first_after_days` after the due date, then one every `repeat_every_days`, at
most `max_count` per invoice. The daily beat job (`payment_reminders_send`) sends the
step that is due for each overdue invoice; a step is sent exactly once: its
`PaymentReminder` row (unique per invoice and step) is inserted in the transaction that
sends the message, so a second run (or a concurrent one, which waits on the insert and
then fails it) finds the step taken. A send that fails rolls the row back and is tried
again on the next run. Szef and Kierownik can also send a reminder by hand.

Texts may use the placeholders in `PLACEHOLDERS` ({number}, {amount}, {due_date},
{company}, …). They are replaced by plain text substitution, never `str.format`
(which would let a template reach attributes of the values).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.common.records import record_event
from crm.company.mail import company_email_send
from crm.company.models import CompanySettings
from crm.invoicing.models import Invoice, InvoiceStatus, PaymentReminder, PaymentReminderSettings
from crm.invoicing.payments import (
    PAYABLE_KINDS,
    converted_proforma_q,
    invoice_left_to_pay,
    invoices_overdue_refresh,
    money_text,
)
from crm.invoicing.visibility import money_manage_check
from tenants.selectors import company_active

logger = logging.getLogger(__name__)

PLACEHOLDERS: dict[str, str | Promise] = {
    "number": gettext_lazy("numer faktury"),
    "amount": gettext_lazy("kwota do zapłaty z walutą"),
    "due_date": gettext_lazy("termin płatności"),
    "company": gettext_lazy("nazwa Twojej firmy"),
    "customer": gettext_lazy("nazwa klienta"),
    "days_overdue": gettext_lazy("liczba dni po terminie"),
    "bank_account": gettext_lazy("numer rachunku do wpłaty"),
    "issue_date": gettext_lazy("data wystawienia"),
}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def default_subject() -> str:
    return _("Przypomnienie o płatności: faktura {number}")


def default_body() -> str:
    return _(
        "Dzień dobry,\n\n"
        "uprzejmie przypominamy, że termin płatności faktury {number} minął {due_date}. "
        "Do zapłaty pozostało {amount}.\n\n"
        "Prosimy o wpłatę na rachunek {bank_account}. Jeśli płatność została już wysłana, "
        "prosimy potraktować tę wiadomość jako nieaktualną.\n\n"
        "Z poważaniem\n{company}"
    )


def placeholders_unknown(text: str) -> list[str]:
    """Names in braces that are not placeholders ("{kwota}"), for the settings form."""
    return sorted({m.group(1) for m in _PLACEHOLDER.finditer(text or "") if m.group(1) not in PLACEHOLDERS})


def text_fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


class ReminderError(AppError):
    pass


@dataclass(frozen=True)
class ReminderSchedule:
    first_after_days: int
    repeat_every_days: int
    max_count: int

    def step_date(self, *, step: int, due_date: date, previous: date | None) -> date:
        """When step `step` (1-based) is due: after the due date for the first, after
        the previous reminder for the others (a late run never bunches reminders)."""
        if step == 1 or previous is None:
            return due_date + timedelta(days=self.first_after_days)
        return previous + timedelta(days=self.repeat_every_days)


def reminder_settings_save(*, actor: User, obj: PaymentReminderSettings, changes: dict[str, object]) -> None:
    """Save Szef's reminder settings (the form and the API validate the values)."""
    before = {name: str(getattr(obj, name)) for name in changes}
    for name, value in changes.items():
        setattr(obj, name, value)
    for name in ("subject", "body"):
        unknown = placeholders_unknown(str(getattr(obj, name)))
        if unknown:
            raise ReminderError(
                _("Nieznane pola w nawiasach: %(names)s. Dostępne: %(known)s.")
                % {
                    "names": ", ".join("{" + n + "}" for n in unknown),
                    "known": ", ".join("{" + n + "}" for n in PLACEHOLDERS),
                },
                name,
            )
    with transaction.atomic():
        obj.save()
        changed = [
            {"field": name, "from": old, "to": str(getattr(obj, name))}
            for name, old in before.items()
            if old != str(getattr(obj, name))
        ]
        if changed:
            activity_record(
                actor=actor,
                kind=ActivityKind.SETTINGS,
                obj=obj,
                code="invoice.reminders_changed",
                params={"changes": changed},
            )


# --- the message ------------------------------------------------------------------------


def reminder_values(invoice: Invoice, *, today: date) -> dict[str, str]:
    company = company_active()
    company_settings = CompanySettings.current()
    return {
        "number": invoice.number,
        "amount": money_text(invoice_left_to_pay(invoice), invoice.currency),
        "due_date": formats.date_format(invoice.due_date, "SHORT_DATE_FORMAT"),
        "issue_date": formats.date_format(invoice.issue_date, "SHORT_DATE_FORMAT"),
        "company": company.name if company is not None else "",
        "customer": invoice.customer.name,
        "days_overdue": str(max((today - invoice.due_date).days, 0)),
        "bank_account": company_settings.bank_account or "—",
    }


def reminder_message(invoice: Invoice, *, settings: PaymentReminderSettings, today: date) -> tuple[str, str]:
    """Subject and body as the customer gets them: in the company's language (Polish),
    whoever sends them, with the placeholders filled in."""
    with translation.override(django_settings.LANGUAGE_CODE):
        values = reminder_values(invoice, today=today)
        subject = text_fill(settings.subject or default_subject(), values)
        body = text_fill(settings.body or default_body(), values)
    return " ".join(subject.split()), body


def _reminder_send(
    invoice: Invoice, *, step: int | None, actor: User | None, settings: PaymentReminderSettings, today: date
) -> PaymentReminder:
    """Insert the reminder row, send, log; the caller's transaction undoes all on failure."""
    to = invoice.customer.email
    left = invoice_left_to_pay(invoice)
    reminder = PaymentReminder.objects.create(invoice=invoice, step=step, to=to, amount=left, sent_by=actor)
    subject, body = reminder_message(invoice, settings=settings, today=today)
    company_email_send(subject=subject, body=body, to=[to])
    Invoice.objects.filter(pk=invoice.pk).update(last_reminder_at=reminder.sent_at)
    params = {"number": invoice.number, "to": to, "amount": str(left), "currency": invoice.currency, "step": step}
    activity_record(actor=actor, kind=ActivityKind.OTHER, obj=invoice, code="invoice.reminder_sent", params=params)
    record_event(
        obj=invoice.customer,
        actor=actor,
        kind="invoice_reminder_sent",
        message=_("Wysłano przypomnienie o płatności faktury %(number)s do %(to)s.") % params,
        code="invoice.reminder_sent",
        params=params,
    )
    return reminder


def remindable_invoices() -> QuerySet[Invoice]:
    """Overdue VAT invoices and pro-formas whose customer has an e-mail address."""
    return (
        Invoice.objects.filter(status=InvoiceStatus.OVERDUE, kind__in=PAYABLE_KINDS)
        .exclude(customer__email="")
        .exclude(converted_proforma_q())
    )


def reminders_due(*, today: date, settings: PaymentReminderSettings) -> list[tuple[int, int]]:
    """(invoice id, step) of every scheduled reminder due today or earlier and not sent."""
    schedule = ReminderSchedule(settings.first_after_days, settings.repeat_every_days, settings.max_count)
    rows = (
        remindable_invoices()
        .filter(due_date__lte=today - timedelta(days=schedule.first_after_days))
        .annotate(
            steps=Count("payment_reminders__step"),
            last_step=Max("payment_reminders__step"),
            last_sent=Max("payment_reminders__sent_at"),
        )
        .filter(steps__lt=schedule.max_count)
        .values_list("pk", "due_date", "last_step", "last_sent")
    )
    due = []
    for pk, due_date, last_step, last_sent in rows:
        step = (last_step or 0) + 1
        previous = timezone.localdate(last_sent) if last_sent else None
        if step <= schedule.max_count and schedule.step_date(step=step, due_date=due_date, previous=previous) <= today:
            due.append((pk, step))
    return due


def payment_reminders_send(*, today: date | None = None) -> int:
    """The daily job of the active company: flag overdue invoices, then send each due
    reminder step once. Returns how many reminders were sent."""
    today = today or timezone.localdate()
    invoices_overdue_refresh(today=today)
    settings = PaymentReminderSettings.current()
    if not settings.enabled:
        return 0
    sent = 0
    for pk, step in reminders_due(today=today, settings=settings):
        try:
            with transaction.atomic():
                invoice = remindable_invoices().select_for_update(of=("self",)).select_related("customer").get(pk=pk)
                _reminder_send(invoice, step=step, actor=None, settings=settings, today=today)
            sent += 1
        except Invoice.DoesNotExist:
            continue  # paid or changed meanwhile
        except IntegrityError:
            continue  # another run sent this step first
        except Exception:  # one customer's mail server must not stop the others; tried again next run
            logger.exception("payment reminder for invoice %s (step %s) failed, to be retried", pk, step)
    return sent


@transaction.atomic
def payment_reminder_send_now(*, actor: User, invoice: Invoice) -> PaymentReminder:
    """A reminder sent by hand (Szef, Kierownik), outside the schedule."""
    money_manage_check(actor)
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("customer").get(pk=invoice.pk)
    if invoice.kind not in PAYABLE_KINDS or invoice.status not in (
        InvoiceStatus.ISSUED,
        InvoiceStatus.PARTIALLY_PAID,
        InvoiceStatus.OVERDUE,
    ):
        raise ReminderError(_("Przypomnienie można wysłać tylko do wystawionej, nieopłaconej faktury."))
    if not invoice.customer.email:
        raise ReminderError(_("Klient nie ma adresu e-mail: uzupełnij go na karcie klienta."))
    try:
        return _reminder_send(
            invoice, step=None, actor=actor, settings=PaymentReminderSettings.current(), today=timezone.localdate()
        )
    except (OSError, ValueError) as exc:
        logger.warning("payment reminder for invoice %s failed: %s", invoice.pk, exc)
        raise ReminderError(_("Nie udało się wysłać wiadomości: %(error)s") % {"error": str(exc)[:200]}) from exc
