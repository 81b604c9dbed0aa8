"""Correction invoices (faktury korygujące): an issued VAT invoice is never edited; it is
corrected by a new document that names it, states the reason and lists the lines as they
were ("przed korektą") and as they should be ("po korekcie"). Its totals are after minus
before, per VAT rate, and may be negative (a discount, a return).

A second correction of the same invoice starts from the state the previous one left.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.invoicing.access import correct_check
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, KsefStatus
from crm.invoicing.services.common import (
    InvoiceStateError,
    LineData,
    invoice_lines,
    lines_check,
    lines_save,
    totals_and_rules_apply,
)
from crm.invoicing.services.drafts import fields_check

CORRECTABLE = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID, InvoiceStatus.OVERDUE)


def lines_current(original: Invoice) -> list[LineData]:
    """The lines of `original` as they stand now: after its latest issued correction, or its own."""
    latest = (
        original.corrections.filter(status__in=CORRECTABLE)
        .exclude(series_number__isnull=True)
        .order_by("-issued_at", "-id")
        .first()
    )
    source = latest if latest is not None else original
    return [LineData.of(line) for line in invoice_lines(source)]


@transaction.atomic
def invoice_correction_create(
    *,
    original: Invoice,
    actor: User | None,
    reason: str,
    lines: Sequence[LineData] | None = None,
) -> Invoice:
    """A draft correction of an issued VAT invoice: the lines before are the invoice's
    current lines, the lines after are `lines` (default: the same, to be edited)."""
    if actor is not None:
        correct_check(actor)
    original = Invoice.objects.select_for_update(of=("self",)).select_related("customer").get(pk=original.pk)
    if original.kind != InvoiceKind.VAT or original.status not in CORRECTABLE:
        raise InvoiceStateError(_("Korygować można tylko wystawioną fakturę VAT (nie szkic, pro formę ani korektę)."))
    if original.corrections.filter(status=InvoiceStatus.DRAFT).exists():
        raise InvoiceStateError(_("Ta faktura ma już szkic korekty: dokończ go albo usuń."))
    if not reason.strip():
        raise ValidationError({"correction_reason": _("Podaj przyczynę korekty.")})
    before = lines_current(original)
    after = list(lines) if lines is not None else before
    lines_check(after)
    today = timezone.localdate()
    correction = Invoice(
        kind=InvoiceKind.CORRECTION,
        corrects=original,
        correction_reason=reason.strip()[:500],
        customer=original.customer,
        deal=original.deal,
        owner=original.owner,
        issue_date=today,
        sale_date=original.sale_date,
        due_date=max(today, original.due_date),
        place_of_issue=original.place_of_issue,
        payment_method=original.payment_method,
        currency=original.currency,
        exchange_rate=original.exchange_rate,
        exchange_rate_date=original.exchange_rate_date,
        exchange_rate_table=original.exchange_rate_table,
        exemption_basis=original.exemption_basis,
        split_payment=original.split_payment,
        buyer=original.buyer,
        ksef_status=KsefStatus.NOT_SENT,
        created_by=actor if actor is not None and actor.pk else None,
    )
    fields_check(correction)
    correction.save()
    lines_save(correction, before, before_correction=True)
    lines_save(correction, after)
    totals_and_rules_apply(correction, buyer_tax_id=original.buyer.get("tax_id", ""))
    activity_record(
        actor=actor,
        kind=ActivityKind.CREATE,
        obj=correction,
        code="invoice.correction_created",
        params={"number": original.number, "reason": correction.correction_reason},
    )
    return correction
