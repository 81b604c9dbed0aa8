"""Sending issued invoices to KSeF (Krajowy System e-Faktur), in the background.

`invoice_ksef_queue` (a person clicks "send", or the API) checks the invoice may go (an
issued VAT invoice or correction, KSeF switched on, not sent or queued already), marks it
queued and, once the transaction commits, hands its id to Celery
(`crm.invoicing.tasks.invoice_ksef_send_task`), which calls `invoice_ksef_send`.

`invoice_ksef_send` takes only a queued invoice (a second delivery of the same job finds it
sending or sent and does nothing), writes its FA(3) XML and sends it with the company's
token (`crm.ksef`). KSeF's answer decides what happens:
- accepted: the KSeF number, the UPO and the sending time are stored;
- rejected (or data FA(3) cannot carry): the reason is stored and shown on the card; a
  person fixes the cause and may send again;
- a duplicate (KSeF holds it already, e.g. a lost answer earlier): the number KSeF names is
  stored with its UPO, nothing is sent twice;
- no answer, 5xx, 429: `KsefRetryLater`; the task retries with exponential backoff (the
  invoice stays queued, the last error shown). When KSeF had taken the invoice before the
  failure, the retry asks for its result instead of sending it again. After the last retry
  the invoice is marked as failed and may be sent again by hand.
Every step and every answer of KSeF is written to the activity log.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.records import record_event
from crm.company.crypto import secret_decrypt
from crm.company.models import CompanySettings
from crm.invoicing.access import send_ksef_check
from crm.invoicing.fa3 import invoice_xml
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, KsefStatus
from crm.invoicing.services.common import InvoiceStateError
from crm.invoicing.tasks import invoice_ksef_send_task
from crm.ksef import (
    Fa3Error,
    KsefConfig,
    KsefDuplicate,
    KsefEnvironment,
    KsefReceipt,
    KsefRejected,
    KsefTransient,
    ksef_invoice_result,
    ksef_send_invoice,
    ksef_upo,
)
from crm.systemlog.models import SystemEventKind
from crm.systemlog.services import system_event_record

logger = logging.getLogger(__name__)

# States from which a (re)send may start: never sent, refused with a reason a person fixed,
# or given up after the retries.
SENDABLE = (KsefStatus.NOT_SENT, KsefStatus.REJECTED, KsefStatus.ERROR)


def ksef_sendable_check(invoice: Invoice) -> None:
    """InvoiceStateError unless this invoice may be sent to KSeF now."""
    if invoice.kind == InvoiceKind.PROFORMA:
        raise InvoiceStateError(_("Faktury pro forma nie wysyła się do KSeF."))
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED):
        raise InvoiceStateError(_("Do KSeF wysyła się wystawioną fakturę."))
    if invoice.ksef_status == KsefStatus.ACCEPTED or invoice.ksef_number:
        raise InvoiceStateError(
            _("Faktura %(number)s jest już w KSeF (numer %(ksef)s).")
            % {"number": invoice.number, "ksef": invoice.ksef_number}
        )
    if invoice.ksef_status not in SENDABLE:
        raise InvoiceStateError(_("Faktura %(number)s jest już wysyłana do KSeF.") % {"number": invoice.number})
    if not CompanySettings.current().ksef_enabled:
        raise InvoiceStateError(_("Wysyłka do KSeF jest wyłączona. Szef włącza ją w Ustawieniach, w części KSeF."))


@transaction.atomic
def invoice_ksef_queue(*, invoice: Invoice, actor: User | None) -> Invoice:
    """Queue the sending of an issued invoice (a second click is refused: no duplicate)."""
    if actor is not None:
        send_ksef_check(actor)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    ksef_sendable_check(invoice)
    invoice.ksef_status = KsefStatus.QUEUED
    invoice.ksef_error = ""
    invoice.ksef_attempts = 0
    invoice.save(update_fields=["ksef_status", "ksef_error", "ksef_attempts", "updated_at"])
    activity_record(
        actor=actor, kind=ActivityKind.OTHER, obj=invoice, code="invoice.ksef_queued", params={"number": invoice.number}
    )
    invoice_id = invoice.pk
    transaction.on_commit(lambda: ksef_enqueue(invoice_id=invoice_id))
    return invoice


def ksef_enqueue(*, invoice_id: int) -> None:
    """Hand the invoice to the Celery worker; with the queue down, say so on the invoice."""
    try:
        invoice_ksef_send_task.delay(invoice_id)
    except Exception:
        logger.exception("could not enqueue the KSeF sending of invoice %s", invoice_id)
        Invoice.objects.filter(pk=invoice_id, ksef_status=KsefStatus.QUEUED).update(
            ksef_status=KsefStatus.ERROR,
            ksef_error=_("Nie udało się uruchomić wysyłki (kolejka zadań jest niedostępna). Spróbuj ponownie."),
        )


class KsefRetryLater(Exception):
    """KSeF did not answer this time: try again in `seconds` (None: the task's backoff)."""

    def __init__(self, seconds: int | None = None) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass(frozen=True)
class KsefOutcome:
    status: str  # KsefStatus value after this attempt ("" when nothing was done)
    ksef_number: str = ""


def company_ksef_config() -> KsefConfig:
    """The company's KSeF access from Settings (token decrypted); InvoiceStateError when
    something a person must fill in is missing."""
    company = CompanySettings.current()
    token = secret_decrypt(company.ksef_token_encrypted)
    if not company.tax_id:
        raise InvoiceStateError(_("Firma nie ma NIP: podaj go w Ustawieniach, w części Firma."))
    if not token:
        raise InvoiceStateError(_("Brak tokenu KSeF (albo nie da się go odczytać): podaj go w Ustawieniach KSeF."))
    return KsefConfig(
        nip=company.tax_id,
        token=token,
        environment=KsefEnvironment(company.ksef_environment),
        api_base_url=company.ksef_api_url,
        poll_interval_seconds=settings.IMCRM_KSEF_POLL_INTERVAL,
    )


def _log(invoice: Invoice, code: str, **params: object) -> None:
    activity_record(
        actor=None, kind=ActivityKind.OTHER, obj=invoice, code=code, params={"number": invoice.number, **params}
    )


@transaction.atomic
def _claim(invoice_id: int) -> Invoice | None:
    """The queued invoice, now marked as being sent (None: gone, or not queued any more)."""
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("corrects").filter(pk=invoice_id).first()
    if invoice is None or invoice.ksef_status != KsefStatus.QUEUED:
        return None
    invoice.ksef_status = KsefStatus.SENDING
    invoice.ksef_attempts += 1
    invoice.save(update_fields=["ksef_status", "ksef_attempts", "updated_at"])
    _log(invoice, "invoice.ksef_sending", attempt=invoice.ksef_attempts)
    return invoice


@transaction.atomic
def _accepted(invoice: Invoice, receipt: KsefReceipt, *, xml: bytes, duplicate: bool = False) -> KsefOutcome:
    invoice.ksef_status = KsefStatus.ACCEPTED
    invoice.ksef_number = receipt.ksef_number
    invoice.ksef_session = receipt.session_reference
    invoice.ksef_reference = receipt.invoice_reference
    invoice.ksef_upo = receipt.upo_xml.decode("utf-8", errors="replace")
    invoice.ksef_sent_at = timezone.now()
    invoice.ksef_error = ""
    invoice.ksef_xml_sha256 = hashlib.sha256(xml).hexdigest()
    invoice.save()
    _log(invoice, "invoice.ksef_accepted", ksef_number=invoice.ksef_number, duplicate=duplicate)
    record_event(
        obj=invoice,
        actor=None,
        kind="invoice_ksef_accepted",
        message=_("KSeF przyjął fakturę %(number)s, numer KSeF: %(ksef_number)s.")
        % {"number": invoice.number, "ksef_number": invoice.ksef_number},
        code="invoice.ksef_accepted",
        params={"number": invoice.number, "ksef_number": invoice.ksef_number},
    )
    return KsefOutcome(status=KsefStatus.ACCEPTED, ksef_number=invoice.ksef_number)


@transaction.atomic
def _rejected(invoice: Invoice, reason: str) -> KsefOutcome:
    invoice.ksef_status = KsefStatus.REJECTED
    invoice.ksef_error = reason[:2000]
    invoice.save(update_fields=["ksef_status", "ksef_error", "updated_at"])
    _log(invoice, "invoice.ksef_rejected", reason=reason[:500])
    record_event(
        obj=invoice,
        actor=None,
        kind="invoice_ksef_rejected",
        message=_("KSeF odrzucił fakturę %(number)s: %(reason)s") % {"number": invoice.number, "reason": reason[:300]},
        code="invoice.ksef_rejected",
        params={"number": invoice.number, "reason": reason[:300]},
    )
    system_event_record(
        kind=SystemEventKind.KSEF_REJECTED,
        message=_("KSeF odrzucił fakturę %(number)s: %(reason)s") % {"number": invoice.number, "reason": reason[:300]},
        detail=reason,
        obj=invoice,
    )
    return KsefOutcome(status=KsefStatus.REJECTED)


@transaction.atomic
def _transient(invoice: Invoice, exc: KsefTransient, *, final: bool) -> KsefOutcome:
    """Remember what KSeF already took (its references) and wait for the retry; the last
    failure marks the invoice failed (a person may send it again)."""
    if exc.invoice_reference:
        invoice.ksef_session, invoice.ksef_reference = exc.session_reference, exc.invoice_reference
    if final:
        invoice.ksef_status = KsefStatus.ERROR
        invoice.ksef_error = _(
            "KSeF nie odpowiada (próby: %(attempts)s). Spróbuj wysłać ponownie później: %(error)s"
        ) % {
            "attempts": invoice.ksef_attempts,
            "error": exc.message,
        }
    else:
        invoice.ksef_status = KsefStatus.QUEUED
        invoice.ksef_error = _("KSeF nie odpowiedział (próba %(attempt)s), ponowimy: %(error)s") % {
            "attempt": invoice.ksef_attempts,
            "error": exc.message,
        }
    invoice.save()
    _log(invoice, "invoice.ksef_error", attempt=invoice.ksef_attempts, error=exc.message[:500])
    if final:
        system_event_record(
            kind=SystemEventKind.KSEF_FAILED, message=invoice.ksef_error, detail=exc.message, obj=invoice
        )
    return KsefOutcome(status=invoice.ksef_status)


def invoice_ksef_send(*, invoice_id: int, final: bool = False) -> KsefOutcome:
    """One attempt to send a queued invoice (called by the Celery task; see the module's
    docstring). Raises KsefRetryLater on a transient failure unless it is the `final` one.
    No database transaction is held open while KSeF is being asked."""
    invoice = _claim(invoice_id)
    if invoice is None:
        return KsefOutcome(status="")
    try:
        config = company_ksef_config()
        xml = invoice_xml(invoice)
    except (InvoiceStateError, Fa3Error) as exc:
        return _rejected(invoice, exc.message)
    try:
        if invoice.ksef_reference and invoice.ksef_session:
            receipt = ksef_invoice_result(
                config, session_reference=invoice.ksef_session, invoice_reference=invoice.ksef_reference
            )
        else:
            receipt = ksef_send_invoice(config, xml)
    except KsefDuplicate as exc:
        if not exc.original_ksef_number:
            return _rejected(invoice, exc.reason)
        upo = b""
        if exc.original_session:
            try:
                upo = ksef_upo(config, session_reference=exc.original_session, ksef_number=exc.original_ksef_number)
            except (KsefTransient, KsefRejected):
                logger.warning("no UPO for the duplicate %s of invoice %s", exc.original_ksef_number, invoice_id)
        receipt = KsefReceipt(
            ksef_number=exc.original_ksef_number,
            session_reference=exc.original_session,
            invoice_reference="",
            invoice_hash="",
            acquired_at="",
            upo_xml=upo,
        )
        return _accepted(invoice, receipt, xml=xml, duplicate=True)
    except KsefRejected as exc:
        return _rejected(invoice, exc.reason or exc.message)
    except KsefTransient as exc:
        outcome = _transient(invoice, exc, final=final)
        if final:
            return outcome
        raise KsefRetryLater(exc.retry_after) from exc
    return _accepted(invoice, receipt, xml=xml)
