"""Stripe webhook events: verified by the caller, stored and processed once by id.

`event_process` runs in one transaction: the event row is inserted first (a
second delivery of the same id waits on the primary key, then finds it and is
acknowledged without doing anything), then the handler runs. A handler that
raises rolls everything back, including the event row, so Stripe's retry
processes it from scratch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from billing_saas.lifecycle import account_for
from billing_saas.models import BillingAccount, StripeEvent
from billing_saas.stripe_api import field, invoice_subscription_id
from billing_saas.subscriptions import subscription_sync
from tenants.models import Company

logger = logging.getLogger(__name__)


def _account_by_company_id(value: Any) -> BillingAccount | None:
    try:
        company_id = int(value)
    except (TypeError, ValueError):
        return None
    company = Company.objects.real().filter(pk=company_id).first()
    return account_for(company, lock=True) if company is not None else None


def _account_by_customer(customer: Any, metadata_company: Any = None) -> BillingAccount | None:
    customer_id = customer if isinstance(customer, str) else field(customer, "id")
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
    customer = field(obj, "customer")
    customer_id = customer if isinstance(customer, str) else field(customer, "id")
    if account.stripe_customer_id and customer_id and customer_id != account.stripe_customer_id:
        logger.warning("checkout %s: customer %s is not company %s's", obj["id"], customer_id, account.company_id)
        return None
    if customer_id and not account.stripe_customer_id:
        account.stripe_customer_id = customer_id
        account.save(update_fields=["stripe_customer_id", "updated_at"])
    subscription = field(obj, "subscription")
    subscription_id = subscription if isinstance(subscription, str) else field(subscription, "id")
    if subscription_id:
        subscription_sync(account, subscription_id)
    return account


def _subscription_changed(obj: Any) -> BillingAccount | None:
    account = _account_by_customer(field(obj, "customer"), field(obj, "metadata", "company_id"))
    if account is not None:
        subscription_sync(account, obj["id"], fallback=obj)
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


def event_process(event: Any, payload: dict[str, Any]) -> bool:
    """Store and handle a verified event. False when this id was already processed."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    id=event["id"],
                    type=event["type"],
                    created=datetime.fromtimestamp(int(event["created"]), tz=UTC),
                    livemode=bool(field(event, "livemode")),
                    payload=payload,
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
