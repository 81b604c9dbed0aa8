"""E-mailing an issued invoice to the customer (crm.invoicing.emails writes and sends the
message): the rank is checked, the invoice row locked while the message goes, and only a
message the server took is recorded: the invoice's `emailed_at`/`emailed_to` (shown on its
card), the activity log and the timeline of the invoice and its customer. A refusal
(draft, no SMTP, a wrong address, the server's answer) changes nothing."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.records import record_event
from crm.invoicing.access import send_email_check
from crm.invoicing.emails import InvoiceEmailError, invoice_email_send
from crm.invoicing.models import Invoice


@transaction.atomic
def invoice_email(*, invoice: Invoice, actor: User, to: str | Sequence[str], message: str = "") -> Invoice:
    """Send `invoice` to `to` from the company's SMTP (see the module's docstring)."""
    send_email_check(actor)
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("customer", "corrects", "offer")
        .get(pk=invoice.pk)
    )
    try:
        recipients = invoice_email_send(invoice=invoice, to=to, message=message, sender=actor)
    except (smtplib.SMTPException, OSError) as exc:
        raise InvoiceEmailError(
            _("Nie udało się wysłać e-maila (%(error)s). Faktura nie została wysłana.") % {"error": str(exc)[:200]},
            None,
        ) from exc
    now = timezone.now()
    invoice.emailed_at = now
    invoice.emailed_to = ", ".join(recipients)[:1000]
    invoice.sent_at = invoice.sent_at or now
    invoice.save(update_fields=["emailed_at", "emailed_to", "sent_at", "updated_at"])
    params = {"number": invoice.number, "to": invoice.emailed_to}
    activity_record(actor=actor, kind=ActivityKind.OTHER, obj=invoice, code="invoice.emailed", params=params)
    record_event(
        obj=invoice,
        actor=actor,
        kind="invoice_emailed",
        message=_("Wysłano fakturę %(number)s e-mailem do %(to)s.") % params,
        code="invoice.emailed",
        params=params,
    )
    return invoice
