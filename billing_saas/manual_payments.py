"""A company paid by bank transfer against a pro-forma invoice: an operator records
the payment for a plan and a period, with a reason (audited). The company is active
until the end of the chosen day; beat turns it read-only afterwards unless a Stripe
subscription has taken over (billing_saas.lifecycle)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing_saas.lifecycle import account_for, company_status_save
from billing_saas.models import OperatorAction, Plan
from billing_saas.operator_services import OperatorError, _locked, _reason, audit
from tenants.models import Company, CompanyStatus

if TYPE_CHECKING:
    from crm.accounts.models import User

MAX_MANUAL_DAYS = 2 * 366


def manual_payment_record(
    *, company: Company, operator: User, plan: Plan, paid_until: date, reference: str, reason: str
) -> datetime:
    """Record the payment; returns the moment the paid period ends."""
    reason = _reason(reason)
    today = timezone.localdate()
    if paid_until <= today:
        raise OperatorError(_("Data końca opłaconego okresu musi być w przyszłości."), field="paid_until")
    if paid_until > today + timedelta(days=MAX_MANUAL_DAYS):
        raise OperatorError(_("Opłacony okres może trwać najwyżej 2 lata."), field="paid_until")
    end = timezone.make_aware(datetime.combine(paid_until + timedelta(days=1), time.min))
    with transaction.atomic():
        company = _locked(company)
        account = account_for(company, lock=True)
        now = timezone.now()
        previous = {"status": company.status, "plan": company.plan_id}
        account.manual_paid_until = max(end, account.manual_paid_until or end)
        account.current_period_end = account.manual_paid_until
        account.first_paid_at = account.first_paid_at or now
        account.last_paid_at = now
        account.read_only_since = None
        account.past_due_since = None
        if not account.operator_suspended:
            account.suspended_at = None
        account.save()
        company.plan_id = plan.pk
        status = CompanyStatus.SUSPENDED if account.operator_suspended else CompanyStatus.ACTIVE
        company_status_save(company, status, extra_fields=("plan_id",))
        details = {
            "plan": plan.code,
            "paid_until": paid_until.isoformat(),
            "reference": reference.strip()[:100],
            "previous_status": previous["status"],
            "previous_plan": previous["plan"],
        }
        audit(operator=operator, company=company, action=OperatorAction.MANUAL_PAYMENT, reason=reason, details=details)
    return account.manual_paid_until
