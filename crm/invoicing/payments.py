"""Payments of invoices, and the invoice's payment status that follows them.

- A payment is recorded only on an issued VAT invoice or pro-forma (not on a draft, a
  correction or a cancelled invoice), for more than zero and at most what is still due:
  an overpayment is refused with the amount left, nothing is saved.
- What is due is the gross total plus the totals of the issued corrections of the invoice
  (a correction's totals are "after minus before", so a downward correction lowers it).
- The invoice row is locked while a payment is added or deleted, so two people
  recording payments at once cannot overpay it together; `paid_total` is the sum of the
  payments, recomputed under that lock.
- Status: `paid` when nothing is left, `overdue` when something is left after the due
  date, `partially_paid` when something was paid before it, else `issued`
  (`invoice_status_for`). The daily beat task moves invoices to `overdue` as their due
  dates pass (`invoices_overdue_refresh`); a payment that settles one moves it to `paid`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.common.events import event_emit
from crm.common.records import record_event
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentMethod
from crm.invoicing.visibility import money_manage_check
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify

ZERO = Decimal("0.00")
PAYABLE_KINDS = (InvoiceKind.VAT, InvoiceKind.PROFORMA)
# Statuses of an issued invoice whose payment state this module keeps.
SETTLEMENT_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID, InvoiceStatus.OVERDUE)
OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE)


class PaymentError(AppError):
    pass


def money_text(amount: Decimal, currency: str) -> str:
    """ "1 230,50 PLN" in the active language's number format."""
    return f"{number_format(amount, 2, force_grouping=True)} {currency}"


def corrections_total(invoice: Invoice) -> Decimal:
    """Sum of the gross totals of the invoice's issued corrections (negative when they lower it)."""
    total = (
        Invoice.objects.filter(corrects=invoice, kind=InvoiceKind.CORRECTION)
        .exclude(status__in=(InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED))
        .aggregate(total=Sum("gross_total"))["total"]
    )
    return total or ZERO


def converted_proforma_q() -> Q:
    """Pro-formas whose VAT invoice is issued: the VAT invoice is the debt from then on."""
    # `from_proforma` not null is implied by the match, but stated it lets PostgreSQL hash
    # only the few converted rows instead of reading every invoice (home page, bench/dashboard.py).
    issued_vat = Invoice.objects.filter(from_proforma=OuterRef("pk"), from_proforma__isnull=False).exclude(
        status__in=(InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED)
    )
    return Q(Exists(issued_vat), kind=InvoiceKind.PROFORMA)


def paid_sum(invoice: Invoice) -> Decimal:
    """What has been paid for the invoice: its payments, and for a VAT invoice made from a
    pro-forma also the payments of that pro-forma (paid before the VAT invoice existed)."""
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    if invoice.kind == InvoiceKind.VAT and invoice.from_proforma_id is not None:
        paid += (
            Payment.objects.filter(invoice_id=invoice.from_proforma_id).aggregate(total=Sum("amount"))["total"] or ZERO
        )
    return paid


def invoice_amount_due(invoice: Invoice) -> Decimal:
    """What the customer owes for the invoice in all: gross plus its issued corrections."""
    return invoice.gross_total + corrections_total(invoice)


def invoice_left_to_pay(invoice: Invoice) -> Decimal:
    return max(invoice_amount_due(invoice) - invoice.paid_total, ZERO)


def invoice_status_for(*, status: str, amount_due: Decimal, paid: Decimal, due_date: date, today: date) -> str:
    """The status an issued invoice has with these figures (other statuses stay)."""
    if status not in SETTLEMENT_STATUSES:
        return status
    left = amount_due - paid
    if left <= 0:
        return InvoiceStatus.PAID if paid > 0 else InvoiceStatus.ISSUED
    if due_date < today:
        return InvoiceStatus.OVERDUE
    return InvoiceStatus.PARTIALLY_PAID if paid > 0 else InvoiceStatus.ISSUED


def _status_record(invoice: Invoice, old: str, *, actor: User | None) -> None:
    if old == invoice.status:
        return
    params = {"number": invoice.number, "from": old, "to": invoice.status}
    activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=invoice, code="invoice.payment_status", params=params)
    if invoice.status == InvoiceStatus.PAID:
        notify(
            recipient=invoice.owner if invoice.owner_id else invoice.created_by,
            kind=NotificationKind.INVOICE_PAID,
            title=invoice.number,
            url=reverse("invoicing:invoice_detail", args=[invoice.pk]),
            actor=actor,
        )
    if invoice.status in (InvoiceStatus.PAID, InvoiceStatus.OVERDUE):
        code = "invoice.paid" if invoice.status == InvoiceStatus.PAID else "invoice.overdue"
        event_emit(code, invoice, actor=actor)
        record_event(
            obj=invoice.customer,
            actor=actor,
            kind=code.replace(".", "_"),
            message=(
                _("Faktura %(number)s opłacona.")
                if invoice.status == InvoiceStatus.PAID
                else _("Faktura %(number)s po terminie płatności.")
            )
            % {"number": invoice.number},
            code=code,
            params={"number": invoice.number},
        )


def invoice_payment_state_refresh(*, invoice: Invoice, actor: User | None = None, today: date | None = None) -> Invoice:
    """Recompute `paid_total` and the status of a locked (or freshly read) invoice and
    save them when they changed. Call it inside a transaction, after anything that
    changes what is paid or due (a payment, an issued correction); it also keeps the
    stored `corrections_total` that the unpaid lists read."""
    today = today or timezone.localdate()
    paid = paid_sum(invoice)
    corrected = corrections_total(invoice)
    old = invoice.status
    status = invoice_status_for(
        status=old, amount_due=invoice.gross_total + corrected, paid=paid, due_date=invoice.due_date, today=today
    )
    if paid != invoice.paid_total or status != old or corrected != invoice.corrections_total:
        invoice.paid_total, invoice.status, invoice.corrections_total = paid, status, corrected
        invoice.save(update_fields=["paid_total", "status", "corrections_total", "updated_at"])
        _status_record(invoice, old, actor=actor)
    return invoice


@dataclass(frozen=True)
class IssueSettlement:
    """What is paid on and added by corrections to an invoice being issued, read before
    the issuing service takes the number (the series' counter stays locked from then
    to the commit, so the reads are done before it)."""

    paid: Decimal
    corrected: Decimal


def invoice_issue_settlement(invoice: Invoice) -> IssueSettlement | None:
    """For a VAT invoice or pro-forma about to be issued (None for other kinds): what
    `paid_sum` and `corrections_total` give, read in one query (issuing is a hot path,
    bench/invoices.py)."""
    if invoice.kind not in PAYABLE_KINDS:
        return None
    paid_on = [invoice.pk]
    if invoice.kind == InvoiceKind.VAT and invoice.from_proforma_id is not None:
        paid_on.append(invoice.from_proforma_id)
    payments = connection.ops.quote_name(Payment._meta.db_table)
    invoices = connection.ops.quote_name(Invoice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT SUM(amount) FROM {payments} WHERE invoice_id = ANY(%s)), "  # noqa: S608 (our tables' names)
            f"(SELECT SUM(gross_total) FROM {invoices} WHERE corrects_id = %s AND kind = %s AND status <> ALL(%s))",
            [
                paid_on,
                invoice.pk,
                InvoiceKind.CORRECTION.value,
                [InvoiceStatus.DRAFT.value, InvoiceStatus.CANCELLED.value],
            ],
        )
        paid, corrected = cursor.fetchone()
    return IssueSettlement(paid=paid or ZERO, corrected=corrected or ZERO)


def invoice_issue_settlement_set(invoice: Invoice, settlement: IssueSettlement | None, *, today: date) -> str:
    """Put the figures on the invoice (issued, not saved yet: the issuing service saves
    once); a VAT invoice made from a paid pro-forma starts paid, in part or in full.
    Returns the status before, for `invoice_issued_settle`."""
    old = invoice.status
    if settlement is not None:
        invoice.paid_total, invoice.corrections_total = settlement.paid, settlement.corrected
        invoice.status = invoice_status_for(
            status=old,
            amount_due=invoice.gross_total + settlement.corrected,
            paid=settlement.paid,
            due_date=invoice.due_date,
            today=today,
        )
    return old


def invoice_issued_settle(invoice: Invoice, *, old_status: str, actor: User | None, today: date) -> None:
    """Called by the issuing service after the saved issue, inside its transaction: the
    status change the settlement made is recorded; an issued correction changes what is
    due on the invoice it corrects, whose status follows."""
    if invoice.kind in PAYABLE_KINDS:
        _status_record(invoice, old_status, actor=actor)
    elif invoice.kind == InvoiceKind.CORRECTION and invoice.corrects_id is not None:
        invoice_payment_state_refresh(invoice=_locked(Invoice(pk=invoice.corrects_id)), actor=actor, today=today)


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)


def payment_check(*, invoice: Invoice, amount: Decimal, paid_at: date, today: date) -> None:
    """Refuse (PaymentError naming the field) a payment the invoice cannot take."""
    if invoice.kind not in PAYABLE_KINDS:
        raise PaymentError(_("Płatności zapisuje się na fakturach VAT i pro forma, nie na korektach."), "invoice")
    if invoice.status == InvoiceStatus.DRAFT:
        raise PaymentError(_("Faktura jest szkicem: płatność można zapisać dopiero po jej wystawieniu."), "invoice")
    if invoice.status == InvoiceStatus.CANCELLED:
        raise PaymentError(_("Faktura jest anulowana: nie przyjmuje płatności."), "invoice")
    if amount is None or amount <= 0:
        raise PaymentError(_("Kwota płatności musi być większa od zera."), "amount")
    if paid_at > today:
        raise PaymentError(_("Data zapłaty nie może być późniejsza niż dziś."), "paid_at")
    left = invoice_left_to_pay(invoice)
    if left <= 0:
        raise PaymentError(_("Faktura jest już w całości opłacona."), "amount")
    if amount > left:
        raise PaymentError(
            _("Nadpłata: do zapłaty zostało %(left)s, a wpisano %(amount)s.")
            % {"left": money_text(left, invoice.currency), "amount": money_text(amount, invoice.currency)},
            "amount",
        )


@transaction.atomic
def payment_create(
    *,
    actor: User,
    invoice: Invoice,
    amount: Decimal,
    paid_at: date | None = None,
    method: str = PaymentMethod.TRANSFER,
    note: str = "",
) -> Payment:
    """Record a payment (Szef, Kierownik); the invoice's paid total and status follow."""
    money_manage_check(actor)
    return _payment_record(actor=actor, invoice=invoice, amount=amount, paid_at=paid_at, method=method, note=note)


@transaction.atomic
def payment_record_online(
    *, invoice: Invoice, amount: Decimal, method: str = PaymentMethod.CARD, note: str = ""
) -> Payment:
    """Record a payment the customer made online, reported by a verified payment gateway
    (crm.payments' webhook): no staff member acts, so no rank is checked; the same rules
    (`payment_check`) apply and a PaymentError refuses it. Paid today."""
    return _payment_record(actor=None, invoice=invoice, amount=amount, paid_at=None, method=method, note=note)


def _payment_record(
    *, actor: User | None, invoice: Invoice, amount: Decimal, paid_at: date | None, method: str, note: str
) -> Payment:
    today = timezone.localdate()
    invoice = _locked(invoice)
    paid_at = paid_at or today
    payment_check(invoice=invoice, amount=amount, paid_at=paid_at, today=today)
    if method not in PaymentMethod.values:
        raise PaymentError(_("Wybierz sposób płatności z listy."), "method")
    payment = Payment.objects.create(
        invoice=invoice, amount=amount, paid_at=paid_at, method=method, note=(note or "").strip(), created_by=actor
    )
    params = {"number": invoice.number, "amount": str(amount), "currency": invoice.currency}
    activity_record(actor=actor, kind=ActivityKind.CREATE, obj=payment, code="payment.created", params=params)
    record_event(
        obj=invoice.customer,
        actor=actor,
        kind="payment_created",
        message=_("Płatność %(amount)s %(currency)s do faktury %(number)s.") % params,
        code="payment.created",
        params=params,
    )
    invoice_payment_state_refresh(invoice=invoice, actor=actor, today=today)
    _converted_refresh(invoice, actor=actor)
    payment.invoice = invoice
    return payment


def _converted_refresh(invoice: Invoice, *, actor: User | None) -> None:
    """A payment of a pro-forma also pays its issued VAT invoice."""
    if invoice.kind != InvoiceKind.PROFORMA:
        return
    for vat in Invoice.objects.select_for_update().filter(from_proforma=invoice, status__in=SETTLEMENT_STATUSES):
        invoice_payment_state_refresh(invoice=vat, actor=actor)


@transaction.atomic
def payment_delete(*, actor: User, payment: Payment) -> Invoice:
    """Delete a payment recorded by mistake (Szef, Kierownik); the invoice's status follows."""
    money_manage_check(actor)
    invoice = _locked(payment.invoice)
    params = {"number": invoice.number, "amount": str(payment.amount), "currency": invoice.currency}
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=payment, code="payment.deleted", params=params)
    record_event(
        obj=invoice.customer,
        actor=actor,
        kind="payment_deleted",
        message=_("Usunięto płatność %(amount)s %(currency)s do faktury %(number)s.") % params,
        code="payment.deleted",
        params=params,
    )
    payment.delete()
    invoice_payment_state_refresh(invoice=invoice, actor=actor)
    _converted_refresh(invoice, actor=actor)
    return invoice


def overdue_q(today: date) -> Q:
    """Issued, not settled invoices whose due date has passed."""
    return Q(status__in=(InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID), due_date__lt=today)


def invoices_overdue_refresh(*, today: date | None = None) -> int:
    """The daily job of the active company: invoices past their due date become overdue,
    an overdue invoice that is settled (or whose due date moved) gets its status back.
    Each invoice in its own short transaction, under its row lock; returns how many changed."""
    today = today or timezone.localdate()
    candidates = (
        Invoice.objects.filter(Q(kind__in=PAYABLE_KINDS) & (overdue_q(today) | Q(status=InvoiceStatus.OVERDUE)))
        .exclude(converted_proforma_q())
        .values_list("pk", flat=True)
    )
    changed = 0
    for pk in list(candidates.iterator()):
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().select_related("customer").filter(pk=pk).first()
            if invoice is None:
                continue
            old = invoice.status
            invoice_payment_state_refresh(invoice=invoice, actor=None, today=today)
            changed += invoice.status != old
    return changed
