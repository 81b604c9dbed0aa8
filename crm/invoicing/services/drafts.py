"""Drafts: create, change and delete an invoice before it is issued.

A draft has no number and may change freely (lines, dates, buyer, currency); its totals
are kept per VAT rate from the lines (`crm.documents.totals`), the split-payment mark is
switched on where the law requires it and a `zw` line needs the exemption's legal basis
(crm.invoicing.rules). Issued invoices are never changed (InvoiceStateError).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from crm.accounts.access import record_owner_for
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.events import event_emit
from crm.common.records import record_event
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.expenses.models import Expense
from crm.invoicing.access import invoice_change_check
from crm.invoicing.models import Invoice, InvoiceKind, KsefStatus, PaymentMethod
from crm.invoicing.rates import ExchangeRateUnavailable, exchange_rate_fetch
from crm.invoicing.services.common import (
    LineData,
    draft_check,
    invoice_lines,
    lines_check,
    lines_save,
    totals_and_rules_apply,
)
from crm.invoicing.services.expenses import (
    expense_line,
    expenses_change,
    expenses_mark,
    expenses_of,
    expenses_pick,
    expenses_release,
)
from crm.offers.models import Offer
from crm.sales.models import Deal
from crm.trash.services import trash_keep

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
EDITABLE_FIELDS = (
    "kind",
    "customer",
    "deal",
    "owner",
    "issue_date",
    "sale_date",
    "due_date",
    "place_of_issue",
    "payment_method",
    "currency",
    "exchange_rate",
    "exemption_basis",
    "split_payment",
    "notes",
    "correction_reason",
)
DRAFT_KINDS = (InvoiceKind.VAT, InvoiceKind.PROFORMA)


def _customer_check(actor: User | None, customer: Customer) -> None:
    if actor is not None and not customers_visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationError({"customer": _("Wybierz klienta z listy.")})


def _deal_check(deal: Deal | None, customer: Customer) -> None:
    if deal is not None and deal.customer_id != customer.pk:
        raise ValidationError({"deal": _("Szansa sprzedaży należy do innego klienta.")})


def fields_check(invoice: Invoice) -> None:
    """ValidationError (per field) for dates, currency and rate that do not fit together."""
    errors: dict[str, str] = {}
    if not CURRENCY_RE.match(invoice.currency or ""):
        errors["currency"] = _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")
    if invoice.due_date < invoice.issue_date:
        errors["due_date"] = _("Termin płatności nie może być wcześniejszy niż data wystawienia.")
    if invoice.exchange_rate is not None and invoice.exchange_rate <= 0:
        errors["exchange_rate"] = _("Kurs waluty musi być większy od zera.")
    if invoice.payment_method not in PaymentMethod.values:
        errors["payment_method"] = _("Wybierz sposób płatności z listy.")
    if invoice.kind == InvoiceKind.CORRECTION and not invoice.correction_reason.strip():
        errors["correction_reason"] = _("Podaj przyczynę korekty.")
    if errors:
        raise ValidationError(errors)


def exchange_rate_apply(invoice: Invoice, *, entered: bool, strict: bool = False) -> None:
    """PLN: no rate. A foreign currency: the rate typed in (`entered`), or the NBP rate of
    the last working day before the sale date, fetched when missing (`invoice_update`
    drops a fetched rate when the sale date or currency changes). `strict`: a rate that
    cannot be had is an error (issuing); otherwise the draft is saved without it."""
    if invoice.currency == "PLN":
        invoice.exchange_rate, invoice.exchange_rate_date, invoice.exchange_rate_table = None, None, ""
        return
    if entered and invoice.exchange_rate is not None:
        invoice.exchange_rate_date, invoice.exchange_rate_table = None, ""
        return
    if invoice.exchange_rate is not None:
        return  # typed in or fetched earlier for this currency and sale date: kept
    try:
        found = exchange_rate_fetch(currency=invoice.currency, sale_date=invoice.sale_date)
    except ExchangeRateUnavailable as exc:
        if strict:
            raise ValidationError({"exchange_rate": exc.message}) from exc
        invoice.exchange_rate, invoice.exchange_rate_date, invoice.exchange_rate_table = None, None, ""
        return
    invoice.exchange_rate = found.rate
    invoice.exchange_rate_date = found.day
    invoice.exchange_rate_table = found.table


def _shown(invoice: Invoice) -> dict[str, str]:
    shown = {}
    for name in EDITABLE_FIELDS:
        value = getattr(invoice, name)
        shown[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    shown["gross_total"] = str(invoice.gross_total)
    return shown


@transaction.atomic
def invoice_create(
    *,
    actor: User | None,
    customer: Customer,
    lines: Sequence[LineData],
    kind: str = InvoiceKind.VAT,
    issue_date: date | None = None,
    sale_date: date | None = None,
    due_date: date | None = None,
    payment_method: str = PaymentMethod.TRANSFER,
    currency: str = "PLN",
    exchange_rate: Decimal | None = None,
    place_of_issue: str | None = None,
    exemption_basis: str = "",
    split_payment: bool = False,
    notes: str = "",
    deal: Deal | None = None,
    offer: Offer | None = None,
    owner: User | None = None,
    from_proforma: Invoice | None = None,
    expenses: Sequence[int] = (),
) -> Invoice:
    """A new draft (VAT invoice or pro-forma) for a customer `actor` sees. Dates default to
    today, the sale date to the issue date, the due date to the company's payment term;
    the place of issue to the company's. `expenses`: ids of the customer's billable
    expenses added as lines at cost (crm/invoicing/services/expenses.py)."""
    if kind not in DRAFT_KINDS:
        raise ValidationError({"kind": _("Wybierz fakturę VAT albo pro forma (korektę wystawia się do faktury).")})
    _customer_check(actor, customer)
    _deal_check(deal, customer)
    billed = expenses_pick(
        actor=actor, customer=customer, currency=(currency or "PLN").upper(), kind=kind, ids=expenses
    )
    lines = [*lines, *(expense_line(expense) for expense in billed)]
    lines_check(lines)
    company = CompanySettings.current()
    issue_date = issue_date or timezone.localdate()
    invoice = Invoice(
        kind=kind,
        customer=customer,
        deal=deal,
        offer=offer,
        owner=record_owner_for(actor=actor, owner=owner if owner is not None else actor),
        issue_date=issue_date,
        sale_date=sale_date or issue_date,
        due_date=due_date or issue_date + timedelta(days=company.payment_term_days),
        place_of_issue=(company.place_of_issue if place_of_issue is None else place_of_issue).strip(),
        payment_method=payment_method,
        currency=(currency or "PLN").upper(),
        exchange_rate=exchange_rate,
        exemption_basis=exemption_basis.strip(),
        split_payment=split_payment,
        notes=notes,
        from_proforma=from_proforma,
        ksef_status=KsefStatus.NOT_APPLICABLE if kind == InvoiceKind.PROFORMA else KsefStatus.NOT_SENT,
        created_by=actor if actor is not None and actor.pk else None,
    )
    fields_check(invoice)
    exchange_rate_apply(invoice, entered=exchange_rate is not None)
    invoice.save()
    lines_save(invoice, lines)
    totals_and_rules_apply(invoice, buyer_tax_id=customer.tax_id)
    expenses_mark(invoice=invoice, expenses=billed, actor=actor)
    activity_record(
        actor=actor,
        kind=ActivityKind.CREATE,
        obj=invoice,
        code="invoice.created",
        params={"kind": invoice.kind, "customer": customer.name, "gross": str(invoice.gross_total)},
    )
    event_emit("invoice.created", invoice, actor=actor)
    return invoice


@transaction.atomic
def invoice_update(
    *,
    invoice: Invoice,
    actor: User | None,
    lines: Sequence[LineData] | None = None,
    expenses: Sequence[int] | None = None,
    **changes: Any,
) -> Invoice:
    """Change a draft: any of EDITABLE_FIELDS and, given `lines`, all its lines (for a
    correction: the lines after the correction). Given `expenses`, the billable expenses
    on it become exactly those: new ones add their lines, those taken off lose theirs and
    are billable again (crm/invoicing/services/expenses.py). An issued invoice:
    InvoiceStateError."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"invoice_update got unknown fields: {sorted(unknown)}")
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("customer", "corrects").get(pk=invoice.pk)
    draft_check(invoice)
    if actor is not None:
        invoice_change_check(actor, invoice)
    before = _shown(invoice)
    if "kind" in changes and changes["kind"] != invoice.kind:
        if invoice.kind == InvoiceKind.CORRECTION or changes["kind"] not in DRAFT_KINDS:
            raise ValidationError({"kind": _("Rodzaju faktury korygującej nie można zmienić.")})
        changes["ksef_status"] = (
            KsefStatus.NOT_APPLICABLE if changes["kind"] == InvoiceKind.PROFORMA else KsefStatus.NOT_SENT
        )
    if invoice.kind == InvoiceKind.CORRECTION and "customer" in changes and changes["customer"] != invoice.customer:
        raise ValidationError({"customer": _("Korekta dotyczy nabywcy faktury korygowanej.")})
    if "customer" in changes:
        _customer_check(actor, changes["customer"])
    if "owner" in changes:
        changes["owner"] = record_owner_for(actor=actor, owner=changes["owner"])
    old_currency, old_sale_date = invoice.currency, invoice.sale_date
    entered = "exchange_rate" in changes and changes["exchange_rate"] != invoice.exchange_rate
    for name, value in changes.items():
        setattr(invoice, name, value)
    invoice.currency = (invoice.currency or "PLN").upper()
    invoice.exemption_basis = invoice.exemption_basis.strip()
    _deal_check(invoice.deal, invoice.customer)
    fields_check(invoice)
    moved = invoice.currency != old_currency or invoice.sale_date != old_sale_date
    if invoice.exchange_rate_table and moved and not entered:
        invoice.exchange_rate = None  # fetched for another day or currency: fetched again
    exchange_rate_apply(invoice, entered=entered)
    billed: list[Expense] = []
    released: list[Expense] = []
    stored = Invoice.objects.only("customer_id", "currency").get(pk=invoice.pk)
    on_it = [expense.pk for expense in expenses_of(stored)]
    if expenses is not None or on_it:  # without `expenses`: those on it stay, if they still fit
        changed_lines, billed, released = expenses_change(
            invoice=stored,
            actor=actor,
            wanted_ids=expenses if expenses is not None else on_it,
            lines=lines if lines is not None else [LineData.of(line) for line in invoice_lines(invoice)],
            customer=invoice.customer,
            currency=invoice.currency,
            kind=invoice.kind,
        )
        if expenses is not None:
            lines = changed_lines
    if lines is not None:
        lines_check(lines)
        lines_save(invoice, lines)
    invoice.save()
    expenses_release(expenses=released, actor=actor)
    expenses_mark(invoice=invoice, expenses=billed, actor=actor)
    totals_and_rules_apply(invoice, buyer_tax_id=invoice.customer.tax_id)
    changes_shown = [
        {"field": name, "from": old, "to": new} for name, old in before.items() if (new := _shown(invoice)[name]) != old
    ]
    if changes_shown or lines is not None:
        activity_record(
            actor=actor,
            kind=ActivityKind.UPDATE,
            obj=invoice,
            code="invoice.updated",
            params={"changes": changes_shown or [{"field": "lines", "from": "", "to": str(invoice.gross_total)}]},
        )
    return invoice


@transaction.atomic
def invoice_delete(*, invoice: Invoice, actor: User) -> None:
    """Delete a draft (issued invoices stay for good: InvoiceStateError, they are corrected).
    The draft goes to Settings > Kosz with its lines; its billable expenses are free again
    (and taken back by a restore unless another invoice took them meanwhile)."""
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("customer").get(pk=invoice.pk)
    draft_check(invoice)
    invoice_change_check(actor, invoice)
    record_event(
        obj=invoice.customer,
        actor=actor,
        kind="invoice_deleted",
        message=_("Usunięto szkic faktury."),
        code="invoice.deleted",
        params={"kind": invoice.kind},
    )
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=invoice, code="invoice.deleted", params={})
    label = capfirst(str(InvoiceKind(invoice.kind).label))
    name = _("%(kind)s (szkic) — %(customer)s, %(gross)s %(currency)s") % {
        "kind": label,
        "customer": invoice.customer.name,
        "gross": invoice.gross_total,
        "currency": invoice.currency,
    }
    trash_keep(obj=invoice, actor=actor, name=name)  # Szef can bring it back from Settings > Kosz for 30 days
    invoice.delete()
