"""Events from the company's own Stripe account, posted to its webhook endpoint
(crm/payments/views_public.py verifies the signature with the company's signing secret).

`gateway_event_process` records a paid Checkout Session on its invoice exactly once, in
one transaction:
- the event id is stored first: a second delivery of the same event finds it and does
  nothing (a concurrent one waits on the primary key, then finds it);
- the checkout row is locked by its session id: a second, different event for the same
  session (`checkout.session.completed` then `checkout.session.async_payment_succeeded`,
  or Stripe re-sending under a new id) finds its payment already recorded.
An event the invoice cannot take (paid meanwhile by transfer, cancelled) is acknowledged
and the checkout is marked `problem` with the reason, shown on the invoice card: Stripe's
retry would meet the same refusal.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.invoicing.models import Invoice, PaymentMethod
from crm.invoicing.payments import PaymentError, payment_record_online
from crm.payments.gateway import field
from crm.payments.models import CardCheckout, CheckoutStatus, GatewayEvent
from crm.payments.services import from_minor_units
from tenants.db import connection

logger = logging.getLogger(__name__)

PAID_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")
MAX_ID_LENGTH = 255


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _checkout_locked(session: dict[str, Any], session_id: str) -> CardCheckout | None:
    """The checkout of this session, locked; made from the session's metadata when the
    session was created before its id was saved (or by another copy of the app)."""
    found = CardCheckout.objects.select_for_update().filter(session_id=session_id).first()
    if found is not None:
        return found
    metadata = field(session, "metadata") or {}
    if field(metadata, "imcrm_schema") != connection.schema_name:
        return None
    checkout_id = _int(field(metadata, "imcrm_checkout_id"))
    if checkout_id is not None:
        found = CardCheckout.objects.select_for_update().filter(pk=checkout_id, session_id__isnull=True).first()
        if found is not None:
            found.session_id = session_id
            found.save(update_fields=["session_id"])
            return found
    invoice_id = _int(field(metadata, "imcrm_invoice_id"))
    invoice = Invoice.objects.filter(pk=invoice_id).first() if invoice_id is not None else None
    currency = field(session, "currency")
    amount = _int(field(session, "amount_total"))
    if invoice is None or not isinstance(currency, str) or amount is None:
        return None
    with transaction.atomic():
        made = CardCheckout.objects.create(
            invoice=invoice,
            session_id=session_id,
            amount=from_minor_units(amount, currency),
            currency=currency.upper(),
        )
    return CardCheckout.objects.select_for_update().get(pk=made.pk)


def _session_paid(session: dict[str, Any]) -> tuple[str, CardCheckout | None]:
    session_id = field(session, "id")
    if not isinstance(session_id, str) or not 0 < len(session_id) <= MAX_ID_LENGTH:
        return "ignored: no session id", None
    if field(session, "mode") != "payment" or field(session, "payment_status") != "paid":
        return "ignored: not paid", None
    checkout = _checkout_locked(session, session_id)
    if checkout is None:
        return "ignored: not ours", None
    if checkout.payment_id is not None or checkout.status in (CheckoutStatus.PAID, CheckoutStatus.PROBLEM):
        return "already recorded", checkout
    currency = field(session, "currency")
    amount_total = _int(field(session, "amount_total"))
    if not isinstance(currency, str) or amount_total is None or amount_total <= 0:
        return "ignored: no amount", checkout
    amount = from_minor_units(amount_total, currency)
    checkout.paid_at = timezone.now()
    if currency.upper() != checkout.invoice.currency.upper():
        checkout.status, checkout.problem = CheckoutStatus.PROBLEM, f"currency {currency.upper()}"
    else:
        try:
            with transaction.atomic():
                checkout.payment = payment_record_online(
                    invoice=checkout.invoice, amount=amount, method=PaymentMethod.CARD, note=f"Stripe {session_id}"
                )
            checkout.status = CheckoutStatus.PAID
        except PaymentError as exc:
            logger.warning("paid checkout %s not recorded: %s", session_id, exc.message)
            checkout.status, checkout.problem = CheckoutStatus.PROBLEM, exc.message[:500]
    checkout.save(update_fields=["status", "problem", "payment", "paid_at"])
    return ("recorded" if checkout.status == CheckoutStatus.PAID else "problem"), checkout


def gateway_event_process(event: dict[str, Any]) -> str:
    """Handle a verified event once; returns what happened ("duplicate", "recorded",
    "already recorded", "problem", "ignored: ...")."""
    event_id, event_type = field(event, "id"), field(event, "type")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_ID_LENGTH or not isinstance(event_type, str):
        raise ValueError("not a Stripe event")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = GatewayEvent.objects.create(id=event_id, type=event_type[:100])
        except IntegrityError:
            return "duplicate"
        outcome, checkout = "ignored: type", None
        session = field(event, "data", "object")
        if event_type in PAID_EVENTS and isinstance(session, dict):
            outcome, checkout = _session_paid(session)
        record.outcome, record.checkout = outcome[:40], checkout
        record.save(update_fields=["outcome", "checkout"])
    return outcome
