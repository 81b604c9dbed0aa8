"""A new company gets its billing account and the trial's plan at signup."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from billing_saas.models import BillingAccount, Plan
from tenants.models import Company
from tenants.signals_provision import company_provisioned


@receiver(company_provisioned, dispatch_uid="billing_saas_account")
def _on_company_provisioned(*, company: Company, **kwargs: Any) -> None:
    BillingAccount.objects.get_or_create(company=company)
    plan = Plan.objects.filter(is_trial_default=True, is_active=True).first()
    if plan is not None and company.plan_id is None:
        company.plan_id = plan.pk
        Company.objects.filter(pk=company.pk).update(plan_id=plan.pk)
