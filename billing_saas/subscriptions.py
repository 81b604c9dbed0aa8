"""Applying Stripe's view of a subscription to a company.

Stripe is asked for the subscription as it is *now* (`subscription_sync`) while
the company's billing row is locked, so events arriving late or out of order all
lead to the current state and can never move a company backwards.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from billing_saas import stripe_api
from billing_saas.lifecycle import LIVE_STRIPE, PAYING_STRIPE, company_status_save
from billing_saas.models import BillingAccount, Interval, Plan
from billing_saas.stripe_api import field, int_or_none, stripe_id
from tenants.models import Company, CompanyStatus

logger = logging.getLogger(__name__)


def _ts(value: Any) -> datetime | None:
    seconds = int_or_none(value)
    if not seconds:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def customer_link(account: BillingAccount, customer_id: str) -> bool:
    """Give `account` this Stripe customer, unless another company already has it
    (then nothing changes and it is logged): a customer pays for one company only."""
    if account.stripe_customer_id == customer_id:
        return True
    owner = (
        BillingAccount.objects.filter(stripe_customer_id=customer_id)
        .exclude(pk=account.pk)
        .values_list("company_id", flat=True)
        .first()
    )
    if owner is not None:
        logger.warning(
            "stripe customer %s belongs to company %s, not company %s: not linked",
            customer_id,
            owner,
            account.company_id,
        )
        return False
    account.stripe_customer_id = customer_id
    return True


def subscription_usable(subscription: Any) -> bool:
    """Has it the id and status every subscription has? (An event's copy may not.)"""
    status = field(subscription, "status")
    return stripe_id(field(subscription, "id")) is not None and isinstance(status, str) and 0 < len(status) <= 30


def plan_for_subscription(subscription: Any) -> tuple[Plan | None, str | None]:
    """Plan and interval of a subscription: by its price id, else by our metadata."""
    price_id = stripe_api.subscription_price_id(subscription)
    if price_id:
        plan = Plan.objects.filter(stripe_price_monthly=price_id).first()
        if plan:
            return plan, Interval.MONTH
        plan = Plan.objects.filter(stripe_price_yearly=price_id).first()
        if plan:
            return plan, Interval.YEAR
    code = field(subscription, "metadata", "plan")
    interval = field(subscription, "metadata", "interval")
    if code:
        plan = Plan.objects.filter(code=code).first()
        if plan:
            return plan, interval if interval in Interval.values else Interval.MONTH
    return None, None


def _is_current(account: BillingAccount, subscription: Any) -> bool:
    """Does this subscription speak for the company? A second subscription only
    takes over when the current one is over, or it is live and newer."""
    current = account.stripe_subscription_id
    if not current or current == subscription["id"]:
        return True
    if account.stripe_subscription_status not in LIVE_STRIPE:
        return True
    created = int_or_none(field(subscription, "created")) or 0
    return subscription["status"] in LIVE_STRIPE and created >= (account.stripe_subscription_created or 0)


def subscription_apply(account: BillingAccount, subscription: Any, *, now: datetime | None = None) -> bool:
    """Store `subscription` (a Stripe object or dict, the current state) on the
    locked `account` and move the company's status. Returns False when ignored."""
    now = now or timezone.now()
    if not _is_current(account, subscription):
        logger.info("ignoring subscription %s of company %s", subscription["id"], account.company_id)
        return False
    status = str(subscription["status"])
    previous, previous_status = account.stripe_subscription_id, account.stripe_subscription_status
    account.stripe_subscription_id = str(subscription["id"])
    account.stripe_subscription_status = status
    account.stripe_subscription_created = int_or_none(field(subscription, "created")) or None
    account.current_period_end = _ts(stripe_api.subscription_period_end(subscription))
    account.cancel_at_period_end = bool(field(subscription, "cancel_at_period_end"))
    customer_id = stripe_id(field(subscription, "customer"))
    if customer_id and not account.stripe_customer_id:
        customer_link(account, customer_id)

    company = Company.objects.select_for_update().get(pk=account.company_id)
    extra: tuple[str, ...] = ()
    if status in LIVE_STRIPE:
        plan, interval = plan_for_subscription(subscription)
        if plan is not None and company.plan_id != plan.pk:
            company.plan_id = plan.pk
            extra = ("plan_id",)
        if interval:
            account.interval = interval
    new_status = _status_for(company, account, subscription, now)
    account.save()
    if account.operator_suspended:
        new_status = CompanyStatus.SUSPENDED  # only the operator lifts their own suspension
    company_status_save(company, new_status, extra_fields=extra)
    replaced = previous and previous != account.stripe_subscription_id
    if replaced and previous_status in ("unpaid", "paused") and status in LIVE_STRIPE:
        stripe_api.subscription_cancel(previous)  # the old, unpaid one must never charge later
    return True


def _status_for(company: Company, account: BillingAccount, subscription: Any, now: datetime) -> str:
    status = str(subscription["status"])
    if status in PAYING_STRIPE:
        account.read_only_since = None
        account.past_due_since = None
        account.suspended_at = None
        if status == "active" and account.first_paid_at is None:
            account.first_paid_at = now
        return CompanyStatus.ACTIVE
    if status == "past_due":
        account.past_due_since = account.past_due_since or now
        return CompanyStatus.PAST_DUE
    if status in ("unpaid", "paused", "canceled"):
        account.read_only_since = account.read_only_since or now
        if status == "canceled":
            account.canceled_at = _ts(field(subscription, "ended_at")) or now
        if company.status == CompanyStatus.SUSPENDED:
            return CompanyStatus.SUSPENDED  # already past the grace period: stays until paid
        reason = field(subscription, "cancellation_details", "reason")
        if status == "canceled" and reason == "cancellation_requested":
            return CompanyStatus.CANCELLED
        return CompanyStatus.READ_ONLY
    return str(company.status)  # incomplete, incomplete_expired: the first payment never happened


def subscription_sync(account: BillingAccount, subscription_id: str, *, fallback: Any = None) -> bool:
    """Re-read the subscription from Stripe and apply it. `fallback` (the event's
    object) is used only when Stripe no longer knows the subscription."""
    subscription = stripe_api.subscription_retrieve(subscription_id)
    if subscription is None:
        if fallback is None:
            return False
        subscription = fallback
    if not subscription_usable(subscription):
        logger.warning("subscription %s of company %s has no usable id or status", subscription_id, account.company_id)
        return False
    return subscription_apply(account, subscription)
