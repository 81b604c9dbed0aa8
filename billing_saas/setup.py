"""A new company gets its billing account and the trial's plan at signup (a step of
`tenants.setup`, registered in `BillingSaasConfig.ready`)."""

from __future__ import annotations

from typing import Any

from billing_saas.models import BillingAccount, Plan
from tenants.models import Company


def billing_account_create(*, company: Company, owner: Any) -> None:
    BillingAccount.objects.get_or_create(company=company)
    plan = Plan.objects.filter(is_trial_default=True, is_active=True).first()
    if plan is not None and company.plan_id is None:
        company.plan_id = plan.pk
        Company.objects.filter(pk=company.pk).update(plan_id=plan.pk)
