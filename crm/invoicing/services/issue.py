"""Issuing: a draft gets the next number of its series and becomes a document for good.

All in one transaction: the draft row is locked (two clicks on "issue" number it once),
the series' counter row is locked so concurrent issuers get consecutive numbers with no
gap and no repeat, the seller's and buyer's data are frozen on the invoice, the issue
date becomes today and the due date keeps the draft's payment term. Whatever fails,
nothing changes (the number is not used up).

Concurrent issuers queue on the counter row, and the one holding it may be descheduled
(bench/invoices.py: 8 issuers on 2 cores), so the lock is held for one statement and the
commit: everything is read, checked and computed first, then a single statement takes
the number and writes the whole invoice with it. When the issue is a transaction of its
own (a web request, the API; not inside a caller's transaction), the COMMIT travels with
that statement: the server commits as soon as the row is written, and the counter is not
held while the issuing thread waits for its turn on the CPU (or the interpreter's lock)
to send the COMMIT. What only reports the issue (the activity entry, the customer's
timeline, the `invoice.issued` event and its webhooks, a status change that a paid
pro-forma brings) is written right after the commit.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.compiled import CompiledQuery, related_set
from crm.common.events import event_emit
from crm.common.records import record_event
from crm.company.models import CompanySettings
from crm.invoicing.access import issue_check
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, KsefStatus
from crm.invoicing.numbering import NumberTemplate, number_take_sql, number_template, series_period
from crm.invoicing.payments import invoice_issue_settlement, invoice_issue_settlement_set, invoice_issued_settle
from crm.invoicing.services.common import (
    InvoiceStateError,
    invoice_lines,
    invoice_search_text_around,
    totals_and_rules_set,
)
from crm.invoicing.services.drafts import exchange_rate_apply, fields_check
from crm.invoicing.services.snapshots import buyer_snapshot, seller_snapshot

PATTERN_FIELDS = {
    InvoiceKind.VAT: "invoice_number_pattern",
    InvoiceKind.PROFORMA: "proforma_number_pattern",
    InvoiceKind.CORRECTION: "correction_number_pattern",
}
# Written by the statement that takes the number; every other column is known before.
NUMBER_COLUMNS = ("number", "series_number", "search_text")


def _issuable_check(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceStateError(_("Faktura %(number)s jest już wystawiona.") % {"number": invoice.number or invoice.pk})
    if not invoice_lines(invoice):
        raise ValidationError({"lines": _("Dodaj co najmniej jedną pozycję.")})
    if invoice.kind == InvoiceKind.CORRECTION:
        original = invoice.corrects
        if original is None or original.status == InvoiceStatus.DRAFT:
            raise ValidationError({"corrects": _("Korekta musi wskazywać wystawioną fakturę.")})


def _numbered_save_sql(invoice: Invoice, *, template: NumberTemplate) -> tuple[str, list[Any]]:
    """One statement: take the next number of the invoice's series (locking the counter
    until the commit) and write the invoice with it, every column as `save()` would;
    it writes nothing, and returns no row, when another invoice already has that text
    (a pattern changed in the middle of a period): that number is skipped, never repeated.
    Built before the number is taken, so the lock waits for no Python."""
    quote = connection.ops.quote_name
    table = quote(Invoice._meta.db_table)
    assignments, params = [], []
    for field in Invoice._meta.local_concrete_fields:
        if field.primary_key or field.generated or field.name in NUMBER_COLUMNS:
            continue
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(field.pre_save(invoice, False), connection=connection))
    take, take_params = number_take_sql(series=invoice.kind, period=invoice.series_period)
    number = "%s::text || taken.last_number::text || %s::text"  # prefix, NR, suffix
    search = "%s::text || taken.last_number::text || %s::text || taken.last_number::text || %s::text"
    search_before, search_between, search_after = invoice_search_text_around(
        invoice, prefix=template.prefix, suffix=template.suffix
    )
    sql = (
        f"WITH taken AS ({take}) "  # noqa: S608 (our table's and columns' names)
        f"UPDATE {table} SET {', '.join(assignments)}, {quote('series_number')} = taken.last_number, "
        f"{quote('number')} = {number}, {quote('search_text')} = {search} "
        f"FROM taken WHERE {table}.{quote('id')} = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {table} AS given WHERE given.{quote('number')} = {number} "
        f"AND given.{quote('number')} <> '') "  # the unique index on numbers is partial (number <> '')
        "RETURNING taken.last_number"
    )
    params = [
        *take_params,
        *params,
        template.prefix,
        template.suffix,
        search_before,
        search_between,
        search_after,
        invoice.pk,
        template.prefix,
        template.suffix,
    ]
    return sql, params


# The draft locked and its lines (compiled once per process: crm.common.compiled).
_DRAFT = CompiledQuery(
    lambda key: Invoice.objects.select_for_update(of=("self",)).select_related("customer").filter(pk=key)
)
_DRAFT_LINES = CompiledQuery(lambda key: InvoiceLine.objects.filter(document_id=key))


class _NumberGiven(Exception):
    """The number taken and committed with the statement was already given (its text exists:
    a pattern changed in the middle of a period); the draft is unchanged: issue it again."""


def _own_transaction() -> bool:
    """True when the running `atomic` block began the transaction and nothing encloses it."""
    return connection.commit_on_exit and len(connection.atomic_blocks) == 1 and not connection.needs_rollback


def number_assign(invoice: Invoice, *, day: date, commit: bool = False) -> None:
    """Give the invoice the next free number of its series and save it (inside the issuing
    transaction, as its last statement: the series' counter stays locked until the commit).
    `commit`: the statement is sent with the COMMIT of the transaction (the caller's outermost
    `atomic` then has nothing left to commit); a number whose text was already given is
    then committed as skipped and `_NumberGiven` raised."""
    company = CompanySettings.current()
    template = number_template(getattr(company, PATTERN_FIELDS[InvoiceKind(invoice.kind)]), day=day)
    invoice.series_period = series_period(day, reset=company.number_reset)
    sql, params = _numbered_save_sql(invoice, template=template)
    with connection.cursor() as cursor:
        if commit:
            cursor.execute(f"{sql}; COMMIT", params)
            row = cursor.fetchone()
            if row is None:
                raise _NumberGiven
        else:
            while True:
                cursor.execute(sql, params)
                row = cursor.fetchone()
                if row is not None:
                    break
    number = int(row[0])
    invoice.number, invoice.series_number = template.text(number), number
    before, between, after = invoice_search_text_around(invoice, prefix=template.prefix, suffix=template.suffix)
    invoice.search_text = f"{before}{number}{between}{number}{after}"


def invoice_issue(*, invoice: Invoice, actor: User | None, today: date | None = None) -> Invoice:
    """Number and freeze a draft (see the module's docstring); `actor` None is the system."""
    while True:
        try:
            return _invoice_issue(invoice=invoice, actor=actor, today=today)
        except _NumberGiven:
            continue  # the counter has moved past the number already given: the next one


@transaction.atomic
def _invoice_issue(*, invoice: Invoice, actor: User | None, today: date | None) -> Invoice:
    locked = _DRAFT.first(invoice.pk)
    if locked is None:
        raise Invoice.DoesNotExist("Invoice matching query does not exist.")
    invoice = locked
    related_set(invoice, "lines", _DRAFT_LINES.all(invoice.pk))  # read three times below (checks, totals, rules)
    if actor is not None:
        issue_check(actor)
    if invoice.kind == InvoiceKind.CORRECTION and invoice.corrects_id is not None:
        # Its status follows the issued correction (`invoice_issued_settle`): locked now,
        # not while the series' counter is held.
        invoice.corrects = Invoice.objects.select_for_update().get(pk=invoice.corrects_id)
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
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = timezone.now()
    invoice.issued_by = actor if actor is not None and actor.pk else None
    invoice.ksef_status = KsefStatus.NOT_APPLICABLE if invoice.kind == InvoiceKind.PROFORMA else KsefStatus.NOT_SENT
    old_status = invoice_issue_settlement_set(invoice, settlement, today=day)
    # A correction settles the corrected invoice after its number is known: in the transaction.
    number_assign(invoice, day=day, commit=invoice.kind != InvoiceKind.CORRECTION and _own_transaction())
    if invoice.kind == InvoiceKind.CORRECTION:
        invoice_issued_settle(invoice, old_status=old_status, actor=actor, today=day)  # the corrected invoice's due
    # robust: the invoice is issued whatever happens to its report (a failure is logged)
    transaction.on_commit(partial(_issued_report, invoice, actor=actor, old_status=old_status, day=day), robust=True)
    return invoice


def _issued_report(invoice: Invoice, *, actor: User | None, old_status: str, day: date) -> None:
    """After the commit: the activity entry, the timeline, the `invoice.issued` event."""
    with transaction.atomic():
        if invoice.kind != InvoiceKind.CORRECTION:
            invoice_issued_settle(invoice, old_status=old_status, actor=actor, today=day)  # a paid pro-forma's
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
