"""Stripe webhook events: verified by the caller, checked, stored and processed once by id.

`event_parse` turns the verified body into an event or refuses it (ValueError):
JSON nested too deep, not an object, no usable `id`, `type` or `created`. Only
someone holding the webhook secret can send such a thing, so it is a 400 that
changes nothing (Stripe itself never sends it, so no retries follow).

`event_process` runs in one transaction: the event row is inserted first (a
second delivery of the same id waits on the primary key, then finds it and is
acknowledged without doing anything), then the handler runs. A handler that
raises rolls everything back, including the event row, so Stripe's retry
processes it from scratch. Handlers read the event's object defensively: a
field of an unexpected shape, or a customer that already pays for another
company, is logged and ignored (acknowledged), since a retry would meet it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from billing_saas.lifecycle import account_for
from billing_saas.models import BillingAccount, StripeEvent
from billing_saas.stripe_api import field, int_or_none, invoice_subscription_id, stripe_id
from billing_saas.subscriptions import customer_link, subscription_sync
from crm.common.api import json_loads
from crm.common.params import DATE_MAX
from tenants.models import Company

logger = logging.getLogger(__name__)

# Stripe's events nest a handful of levels; allow room, refuse the pathological.
MAX_EVENT_DEPTH = 64
MAX_TYPE_LENGTH = 100  # StripeEvent.type
LATEST_CREATED = int(datetime.combine(DATE_MAX, time.max, tzinfo=UTC).timestamp())


class EventShapeError(ValueError):
    pass


def event_parse(payload: bytes | str) -> dict[str, Any]:
    """The verified body as an event we can store and handle; ValueError otherwise."""
    event = json_loads(payload, max_depth=MAX_EVENT_DEPTH)
    if not isinstance(event, dict):
        raise EventShapeError("not a JSON object")
    if stripe_id(event.get("id"), max_length=StripeEvent._meta.get_field("id").max_length or 255) is None:
        raise EventShapeError("no usable id")
    event_type = event.get("type")
    if not isinstance(event_type, str) or not 0 < len(event_type) <= MAX_TYPE_LENGTH:
        raise EventShapeError("no usable type")
    created = int_or_none(event.get("created"))
    if created is None or created > LATEST_CREATED:
        raise EventShapeError("no usable created timestamp")
    if "data" in event and not isinstance(field(event, "data", "object"), dict):
        raise EventShapeError("data.object is not an object")
    return event


def _account_by_company_id(value: Any) -> BillingAccount | None:
    company_id = int_or_none(value)
    if company_id is None:
        return None
    company = Company.objects.real().filter(pk=company_id).first()
    return account_for(company, lock=True) if company is not None else None


def _account_by_customer(customer: Any, metadata_company: Any = None) -> BillingAccount | None:
    customer_id = stripe_id(customer)
    if customer_id:
        company_id = (
            BillingAccount.objects.filter(stripe_customer_id=customer_id).values_list("company_id", flat=True).first()
        )
        if company_id is not None:
            return _account_by_company_id(company_id)
    return _account_by_company_id(metadata_company)


def _checkout_completed(obj: Any) -> BillingAccount | None:
    if field(obj, "mode") != "subscription":
        return None
    account = _account_by_company_id(field(obj, "client_reference_id") or field(obj, "metadata", "company_id"))
    if account is None:
        return None
    customer_id = stripe_id(field(obj, "customer"))
    if account.stripe_customer_id and customer_id and customer_id != account.stripe_customer_id:
        logger.warning(
            "checkout %s: customer %s is not company %s's", field(obj, "id"), customer_id, account.company_id
        )
        return None
    if customer_id and not account.stripe_customer_id:
        if not customer_link(account, customer_id):
            return None
        account.save(update_fields=["stripe_customer_id", "updated_at"])
    subscription_id = stripe_id(field(obj, "subscription"))
    if subscription_id:
        subscription_sync(account, subscription_id)
    return account


def _subscription_changed(obj: Any) -> BillingAccount | None:
    subscription_id = stripe_id(field(obj, "id"))
    account = _account_by_customer(field(obj, "customer"), field(obj, "metadata", "company_id"))
    if account is not None and subscription_id:
        subscription_sync(account, subscription_id, fallback=obj)
    return account


def _invoice_paid(obj: Any) -> BillingAccount | None:
    account = _account_by_customer(field(obj, "customer"))
    subscription_id = invoice_subscription_id(obj)
    if account is None or not subscription_id:
        return account
    account.last_paid_at = timezone.now()
    account.save(update_fields=["last_paid_at", "updated_at"])
    subscription_sync(account, subscription_id)
    return account


def _invoice_payment_failed(obj: Any) -> BillingAccount | None:
    account = _account_by_customer(field(obj, "customer"))
    subscription_id = invoice_subscription_id(obj)
    if account is not None and subscription_id:
        subscription_sync(account, subscription_id)
    return account


HANDLERS: dict[str, Callable[[Any], BillingAccount | None]] = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_payment_failed,
}


def event_process(event: dict[str, Any]) -> bool:
    """Store and handle a verified event (from `event_parse`). False when this id
    was already processed."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    id=event["id"],
                    type=event["type"],
                    created=datetime.fromtimestamp(int(event["created"]), tz=UTC),
                    livemode=bool(field(event, "livemode")),
                    payload=event,
                )
        except IntegrityError:
            logger.info("stripe event %s already processed", event["id"])
            return False
        handler = HANDLERS.get(event["type"])
        account = handler(field(event, "data", "object")) if handler else None
        record.company_id = account.company_id if account is not None else None
        record.processed_at = timezone.now()
        record.save(update_fields=["company", "processed_at"])
    return True
