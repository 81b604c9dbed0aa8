"""Operator actions are all or nothing: when the audit entry cannot be written, the
company, its billing account, exports and deletion schedules stay as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from billing_saas import operator_services as ops
from billing_saas.models import BillingAccount, CompanyExport, DeletionSchedule, Plan
from tenants.models import Company, CompanyStatus
from tests.billing_saas.conftest import account_of, company_set
from tests.support.refuse import db_refuses

ACTIONS = {
    "trial_extend": lambda company, op: ops.trial_extend(company=company, operator=op, days=5, reason="r"),
    "plan_change": lambda company, op: ops.plan_change(
        company=company, operator=op, plan=Plan.objects.get(code="start"), reason="r"
    ),
    "suspend": lambda company, op: ops.company_suspend(company=company, operator=op, reason="r"),
    "export": lambda company, op: ops.export_request(company=company, operator=op, reason="r"),
    "deletion": lambda company, op: ops.deletion_schedule(company=company, operator=op, reason="r"),
}


def _state(company: Company) -> tuple[object, ...]:
    company.refresh_from_db()
    account = BillingAccount.objects.get(company=company)
    return (
        company.status,
        company.trial_ends_at,
        company.plan_id,
        account.operator_suspended,
        account.suspended_at,
        account.read_only_since,
    )


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_operator_action_whose_audit_entry_fails_changes_nothing(action, operator, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY, trial_ends_at=timezone.now() - timedelta(days=2))
    account = account_of(company_a)
    account.read_only_since = timezone.now() - timedelta(days=2)
    account.save()
    before = _state(company_a)
    db_refuses("public", "billing_saas_operatorauditentry", "INSERT")

    with pytest.raises(DatabaseError):
        ACTIONS[action](company_a, operator[0])

    assert _state(company_a) == before
    assert not CompanyExport.objects.filter(company=company_a).exists()
    assert not DeletionSchedule.objects.filter(company=company_a).exists()
