"""The subscription lifecycle of a company, decided in one place.

    trial --(trial ends unpaid)--> read_only --(30 days grace)--> suspended
    any   --(Stripe: active)-----> active
    active --(payment failed)----> past_due --(Stripe gives up: unpaid)--> read_only
    active --(cancelled in the portal, at period end)--> cancelled (read-only)

`Company.status` is the stored state; beat persists the time-based moves
(`company_lifecycle_advance`), and `status_effective` applies the trial's end at
once, so a request at 00:01 after the trial ends is already read-only.
Nothing here deletes data.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from enum import Enum

from django.db import transaction
from django.utils import timezone

from billing_saas.models import BillingAccount, Plan
from tenants.models import Company, CompanyStatus
from tenants.routing import tenant_lookup_invalidate

GRACE_DAYS = 30
PAYING_STRIPE = frozenset({"active", "trialing"})
LIVE_STRIPE = frozenset({"active", "trialing", "past_due", "unpaid", "paused"})


class Access(Enum):
    FULL = "full"
    READ_ONLY = "read_only"
    SUSPENDED = "suspended"


ACCESS_BY_STATUS: dict[str, Access] = {
    CompanyStatus.TRIAL: Access.FULL,
    CompanyStatus.ACTIVE: Access.FULL,
    CompanyStatus.PAST_DUE: Access.FULL,
    CompanyStatus.READ_ONLY: Access.READ_ONLY,
    CompanyStatus.CANCELLED: Access.READ_ONLY,
    CompanyStatus.SUSPENDED: Access.SUSPENDED,
}


def status_effective(company: Company, now: datetime | None = None) -> str:
    """The company's status right now (a trial past its end counts as ended even
    before beat has stored it)."""
    now = now or timezone.now()
    if company.status == CompanyStatus.TRIAL and company.trial_ends_at and now >= company.trial_ends_at:
        if now >= company.trial_ends_at + timedelta(days=GRACE_DAYS):
            return CompanyStatus.SUSPENDED
        return CompanyStatus.READ_ONLY
    return str(company.status)


def access_for(company: Company, now: datetime | None = None) -> Access:
    return ACCESS_BY_STATUS.get(status_effective(company, now), Access.FULL)


def suspended_by_operator(company: Company) -> bool:
    """Suspended by an operator (or a "this was not me" report), not for want of payment:
    paying would not lift it, so the company is told to contact us instead."""
    return BillingAccount.objects.filter(company=company, operator_suspended=True).exists()


def trial_days_left(company: Company, now: datetime | None = None) -> int:
    """Whole days left, rounded up (13.2 days left reads "14 days")."""
    if not company.trial_ends_at:
        return 0
    seconds = (company.trial_ends_at - (now or timezone.now())).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def account_for(company: Company, *, lock: bool = False) -> BillingAccount:
    """The company's billing account (created on first use). With `lock`, the
    company row and then the account row are locked, always in that order (the
    webhook, beat and operator paths all use it, so they cannot deadlock)."""
    if lock:
        list(Company.objects.select_for_update().filter(pk=company.pk).values_list("pk", flat=True))
        BillingAccount.objects.get_or_create(company=company)
        return BillingAccount.objects.select_for_update().get(company=company)
    account, _created = BillingAccount.objects.get_or_create(company=company)
    return account


def plan_for(company: Company) -> Plan | None:
    """The plan whose limits apply: the company's, else the trial default."""
    plan = Plan.objects.filter(pk=company.plan_id).first() if company.plan_id else None
    return plan or Plan.objects.filter(is_trial_default=True).first()


def company_status_save(company: Company, status: str, *, extra_fields: tuple[str, ...] = ()) -> None:
    """Store a new status; every process sees it on its next request (the lookup
    cache is invalidated on save and again once the transaction commits)."""
    changed = company.status != status
    company.status = status
    if changed or extra_fields:
        company.save(update_fields=["status", *extra_fields])
        transaction.on_commit(tenant_lookup_invalidate)


def _grace_over(since: datetime | None, now: datetime) -> bool:
    return since is not None and now >= since + timedelta(days=GRACE_DAYS)


def status_from_billing(company: Company, account: BillingAccount, now: datetime) -> str:
    """What the status should be from billing alone (used when an operator lifts a
    suspension or cancels a deletion)."""
    sub = account.stripe_subscription_status
    if account.stripe_subscription_id and sub in PAYING_STRIPE:
        return CompanyStatus.ACTIVE
    if account.manual_paid_until and now < account.manual_paid_until:
        return CompanyStatus.ACTIVE  # paid by bank transfer (an operator recorded it)
    if account.stripe_subscription_id and sub == "past_due":
        return CompanyStatus.PAST_DUE
    if account.stripe_subscription_id and sub in ("unpaid", "paused", "canceled"):
        since = account.read_only_since or now
        if _grace_over(since, now):
            return CompanyStatus.SUSPENDED
        return CompanyStatus.CANCELLED if company.status == CompanyStatus.CANCELLED else CompanyStatus.READ_ONLY
    if company.trial_ends_at is None or now < company.trial_ends_at:
        return CompanyStatus.TRIAL
    since = account.read_only_since or company.trial_ends_at
    return CompanyStatus.SUSPENDED if _grace_over(since, now) else CompanyStatus.READ_ONLY


def company_lifecycle_advance(*, now: datetime | None = None) -> dict[str, int]:
    """Store the time-based moves: ended trials become read-only, and read-only
    companies past the grace period become suspended. Safe to run any number of times."""
    now = now or timezone.now()
    moved = {"read_only": 0, "suspended": 0}
    ended = Company.objects.filter(status=CompanyStatus.TRIAL, trial_ends_at__lte=now).values_list("pk", flat=True)
    for pk in ended:
        with transaction.atomic():
            company = Company.objects.select_for_update().get(pk=pk)
            if company.status != CompanyStatus.TRIAL or not company.trial_ends_at or company.trial_ends_at > now:
                continue
            account = account_for(company, lock=True)
            account.read_only_since = account.read_only_since or company.trial_ends_at
            if _grace_over(account.read_only_since, now):
                account.suspended_at = now
                company_status_save(company, CompanyStatus.SUSPENDED)
                moved["suspended"] += 1
            else:
                company_status_save(company, CompanyStatus.READ_ONLY)
                moved["read_only"] += 1
            account.save()
    cutoff = now - timedelta(days=GRACE_DAYS)
    expired = BillingAccount.objects.filter(
        company__status__in=[CompanyStatus.READ_ONLY, CompanyStatus.CANCELLED], read_only_since__lte=cutoff
    ).values_list("company_id", flat=True)
    for pk in expired:
        with transaction.atomic():
            company = Company.objects.select_for_update().get(pk=pk)
            account = account_for(company, lock=True)
            if company.status not in (CompanyStatus.READ_ONLY, CompanyStatus.CANCELLED):
                continue
            if not _grace_over(account.read_only_since, now):
                continue
            account.suspended_at = now
            account.save(update_fields=["suspended_at", "updated_at"])
            company_status_save(company, CompanyStatus.SUSPENDED)
            moved["suspended"] += 1
    moved["read_only"] += _manual_periods_end(now)
    return moved


def _manual_periods_end(now: datetime) -> int:
    """A period paid by bank transfer that has ended (and no Stripe subscription took
    over) turns the company read-only, like a trial that ended."""
    ended = BillingAccount.objects.filter(
        company__status=CompanyStatus.ACTIVE, manual_paid_until__lte=now, stripe_subscription_id=""
    ).values_list("company_id", flat=True)
    count = 0
    for pk in ended:
        with transaction.atomic():
            company = Company.objects.select_for_update().get(pk=pk)
            account = account_for(company, lock=True)
            if company.status != CompanyStatus.ACTIVE or account.stripe_subscription_id:
                continue
            if account.manual_paid_until is None or account.manual_paid_until > now:
                continue
            account.read_only_since = account.manual_paid_until
            account.save(update_fields=["read_only_since", "updated_at"])
            company_status_save(company, CompanyStatus.READ_ONLY)
            count += 1
    return count
