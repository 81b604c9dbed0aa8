"""Issuing: a draft gets the next number of its series and becomes a document for good.

All in one transaction: the draft row is locked (two clicks on "issue" number it once),
the series' counter row is locked (`crm.invoicing.numbering.number_take`) so concurrent
issuers get consecutive numbers with no gap and no repeat, the seller's and buyer's data
are frozen on the invoice, the issue date becomes today and the due date keeps the
draft's payment term. Whatever fails, nothing changes (the number is not used up).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.events import event_emit
from crm.common.records import record_event
from crm.company.models import CompanySettings
from crm.invoicing.access import issue_check
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, KsefStatus
from crm.invoicing.numbering import number_format, number_take, series_period
from crm.invoicing.payments import invoice_issue_settlement, invoice_issue_settlement_set, invoice_issued_settle
from crm.invoicing.services.common import (
    InvoiceStateError,
    invoice_lines,
    invoice_search_text,
    totals_and_rules_set,
)
from crm.invoicing.services.drafts import exchange_rate_apply, fields_check
from crm.invoicing.services.snapshots import buyer_snapshot, seller_snapshot

PATTERN_FIELDS = {
    InvoiceKind.VAT: "invoice_number_pattern",
    InvoiceKind.PROFORMA: "proforma_number_pattern",
    InvoiceKind.CORRECTION: "correction_number_pattern",
}


def number_assign(invoice: Invoice, *, day: date) -> None:
    """The next free number of the invoice's series (inside the issuing transaction)."""
    company = CompanySettings.current()
    pattern = getattr(company, PATTERN_FIELDS[InvoiceKind(invoice.kind)])
    period = series_period(day, reset=company.number_reset)
    while True:
        number = number_take(series=invoice.kind, period=period)
        text = number_format(pattern, day=day, number=number)
        # A pattern changed in the middle of a period may meet a number already given:
        # that number is skipped, never repeated.
        if not Invoice.objects.filter(number=text).exists():
            break
    invoice.number, invoice.series_period, invoice.series_number = text, period, number


def _issuable_check(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceStateError(_("Faktura %(number)s jest już wystawiona.") % {"number": invoice.number or invoice.pk})
    if not invoice_lines(invoice):
        raise ValidationError({"lines": _("Dodaj co najmniej jedną pozycję.")})
    if invoice.kind == InvoiceKind.CORRECTION:
        original = invoice.corrects
        if original is None or original.status == InvoiceStatus.DRAFT:
            raise ValidationError({"corrects": _("Korekta musi wskazywać wystawioną fakturę.")})


@transaction.atomic
def invoice_issue(*, invoice: Invoice, actor: User | None, today: date | None = None) -> Invoice:
    """Number and freeze a draft (see the module's docstring); `actor` None is the system."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("customer", "corrects")
        .prefetch_related("lines")  # read three times below (checks, totals, rules)
        .get(pk=invoice.pk)
    )
    if actor is not None:
        issue_check(actor)
    _issuable_check(invoice)
    day = today or timezone.localdate()
    term = invoice.due_date - invoice.issue_date
    invoice.issue_date = day
    invoice.due_date = day + max(term, timedelta(0))
    fields_check(invoice)
    if invoice.kind != InvoiceKind.PROFORMA:
        exchange_rate_apply(invoice, entered=False, strict=True)
    invoice.seller = seller_snapshot()
    invoice.buyer = buyer_snapshot(invoice.customer)
    totals_and_rules_set(invoice, buyer_tax_id=invoice.buyer.get("tax_id", ""))
    settlement = invoice_issue_settlement(invoice)
    # The series' counter stays locked from here to the commit: as little as possible after
    # it (every read and computation that does not need the number is done above).
    number_assign(invoice, day=day)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = timezone.now()
    invoice.issued_by = actor if actor is not None and actor.pk else None
    invoice.ksef_status = KsefStatus.NOT_APPLICABLE if invoice.kind == InvoiceKind.PROFORMA else KsefStatus.NOT_SENT
    invoice.search_text = invoice_search_text(invoice)
    old_status = invoice_issue_settlement_set(invoice, settlement, today=day)
    invoice.save()
    invoice_issued_settle(invoice, old_status=old_status, actor=actor, today=day)
    params = {
        "number": invoice.number,
        "kind": invoice.kind,
        "gross": str(invoice.gross_total),
        "currency": invoice.currency,
    }
    activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=invoice, code="invoice.issued", params=params)
    record_event(
        obj=invoice,
        actor=actor,
        kind="invoice_issued",
        message=_("Wystawiono fakturę %(number)s.") % {"number": invoice.number},
        code="invoice.issued",
        params=params,
    )
    event_emit("invoice.issued", invoice, actor=actor)
    return invoice
