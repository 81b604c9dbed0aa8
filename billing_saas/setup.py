"""A new company gets its billing account and the trial's plan at signup (a step of
`tenants.setup`, registered in `BillingSaasConfig.ready`). A sign-in lock on the public
host (operator console, Django admin) goes to the operator audit log."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from billing_saas.models import BillingAccount, OperatorAction, Plan
from billing_saas.operator_services import audit
from crm.accounts.models import User
from tenants.db import connection
from tenants.login_throttle import login_locked
from tenants.models import Company


def billing_account_create(*, company: Company, owner: User) -> None:
    BillingAccount.objects.get_or_create(company=company)
    plan = Plan.objects.filter(is_trial_default=True, is_active=True).first()
    if plan is not None and company.plan_id is None:
        company.plan_id = plan.pk
        Company.objects.filter(pk=company.pk).update(plan_id=plan.pk)


@receiver(login_locked, dispatch_uid="billing_saas_login_locked")
def _on_login_locked(*, account: str, ip: str, scope: str, failures: int, seconds: int, **kwargs: Any) -> None:
    if connection.schema_name != "public":
        return  # a company's own activity log records it (crm.activity.signals)
    audit(
        operator=None,
        company=None,
        schema_name="public",
        action=OperatorAction.LOGIN_LOCKED,
        reason=_(
            "Logowanie (konto %(account)s, adres %(ip)s) wstrzymane na %(minutes)s min po %(failures)s nieudanych próbach."
        )
        % {"account": account or "?", "ip": ip, "minutes": max(1, seconds // 60), "failures": failures},
        details={"account": account, "ip": ip, "scope": scope, "failures": failures, "seconds": seconds},
    )
