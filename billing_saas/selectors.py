"""Reads for the billing pages and the operator console."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from billing_saas.models import BillingAccount, Interval, Plan
from crm.common.params import is_int_text
from tenants.db import connection
from tenants.models import Company, CompanyStatus

logger = logging.getLogger(__name__)
PAYING = (CompanyStatus.ACTIVE, CompanyStatus.PAST_DUE)


@dataclass(frozen=True)
class Usage:
    seats: int
    customers: int
    last_activity: datetime | None


def _usage_sql(schema: str) -> str:
    """Schema names come from Company rows and are quoted; values are parameters."""
    s = connection.ops.quote_name(schema)
    seats = f"(SELECT count(*) FROM {s}.accounts_user WHERE is_active)"  # noqa: S608
    customers = f"(SELECT count(*) FROM {s}.contacts_customer)"  # noqa: S608
    login = f"(SELECT max(last_login) FROM {s}.accounts_user)"  # noqa: S608
    event = f"(SELECT max(created_at) FROM {s}.notes_timelineevent)"  # noqa: S608
    return f"SELECT %s, {seats}, {customers}, GREATEST({login}, {event})"


def company_usage(schemas: Iterable[str]) -> dict[str, Usage]:
    """Seats, customers and last activity of each company schema: one statement per
    schema, never one statement over several company schemas (Citus places each schema on
    its own node; tests/tenants/test_citus_safety.py). A schema that fails is left out, not
    the page."""
    names = [s for s in schemas if s and s != get_public_schema_name()]
    result: dict[str, Usage] = {}
    for name in names:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(_usage_sql(name), [name])
                row = cursor.fetchone()
        except DatabaseError:
            logger.warning("usage of schema %s unavailable", name)
            continue
        if row:
            result[name] = Usage(int(row[1]), int(row[2]), row[3])
    return result


def company_list(*, q: str = "", status: str = "", plan: str = "") -> QuerySet[Company]:
    qs = Company.objects.real()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(subdomain__icontains=q) | Q(billing_account__stripe_customer_id=q.strip())
        )
    if status in CompanyStatus.values and status != CompanyStatus.POOL:
        qs = qs.filter(status=status)
    if plan:
        qs = qs.filter(plan_id=int(plan)) if is_int_text(plan) else qs.none()
    return qs.select_related("billing_account").order_by("-created_at", "-id")


def company_mrr(company: Company, plans: dict[int, Plan]) -> Decimal:
    if company.status not in PAYING or company.plan_id not in plans:
        return Decimal(0)
    account = getattr(company, "billing_account", None)
    interval = account.interval if account else Interval.MONTH
    return plans[company.plan_id].monthly_value(interval)


@dataclass(frozen=True)
class Totals:
    mrr: Decimal
    paying: int
    trials: int
    conversions_30d: int
    churned_30d: int
    churn_rate: Decimal
    by_status: dict[str, int]


def totals(now: datetime | None = None) -> Totals:
    now = now or timezone.now()
    since = now - timedelta(days=30)
    plans = {p.pk: p for p in Plan.objects.all()}
    companies = Company.objects.real()
    mrr = Decimal(0)
    for company in companies.filter(status__in=PAYING).select_related("billing_account"):
        mrr += company_mrr(company, plans)
    by_status = {value: 0 for value in CompanyStatus.values if value != CompanyStatus.POOL}
    for row in companies.values("status").annotate(n=Count("id")).order_by():
        by_status[row["status"]] = row["n"]
    paying = by_status.get(CompanyStatus.ACTIVE, 0) + by_status.get(CompanyStatus.PAST_DUE, 0)
    conversions = BillingAccount.objects.filter(first_paid_at__gte=since).count()
    churned = BillingAccount.objects.filter(canceled_at__gte=since).exclude(company__status__in=PAYING).count()
    base = paying - conversions + churned  # paying companies 30 days ago, approximately
    rate = (Decimal(churned * 100) / base).quantize(Decimal("0.1")) if base > 0 else Decimal(0)
    return Totals(
        mrr=mrr,
        paying=paying,
        trials=by_status.get(CompanyStatus.TRIAL, 0),
        conversions_30d=conversions,
        churned_30d=churned,
        churn_rate=rate,
        by_status=by_status,
    )
