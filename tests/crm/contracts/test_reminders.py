"""The owner's reminder N days (Settings) before a contract's end: sent once, only for
running contracts; the daily job moves signed contracts to active and ended ones to expired."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.contracts.models import Contract, ContractSettings, ContractStatus
from crm.contracts.services import contract_update
from crm.contracts.tasks import contracts_remind
from tests.crm.contracts.factories import contract_make


def _run(company) -> int:
    """The daily task as the worker runs it for one company (the fan-out's header)."""
    return contracts_remind.apply(headers={"_schema_name": company.schema_name}, throw=True).get()


def _running(szef, *, days_left: int) -> Contract:
    today = timezone.localdate()
    contract = contract_make(
        actor=szef, start_date=today - timedelta(days=300), end_date=today + timedelta(days=days_left)
    )
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
    return contract


def test_the_owner_is_reminded_once_before_the_end(company_a, szef):
    with schema_context(company_a.schema_name):
        ContractSettings.objects.update_or_create(pk=ContractSettings.current().pk, defaults={"reminder_days": 14})
        soon = _running(szef, days_left=10)
        _running(szef, days_left=40)  # not yet
        mail.outbox.clear()

        first = _run(company_a)
        second = _run(company_a)

        assert (first, second) == (1, 0)
        assert [m.to for m in mail.outbox] == [["szef@alfa.test"]]
        assert soon.subject in mail.outbox[0].subject
        assert f"/contracts/{soon.pk}/" in mail.outbox[0].body
        assert Contract.objects.get(pk=soon.pk).reminded_at is not None


def test_a_draft_or_terminated_contract_is_not_reminded(company_a, szef):
    with schema_context(company_a.schema_name):
        today = timezone.localdate()
        contract_make(actor=szef, start_date=today, end_date=today + timedelta(days=5))
        ended = _running(szef, days_left=5)
        Contract.objects.filter(pk=ended.pk).update(status=ContractStatus.TERMINATED)
        mail.outbox.clear()

        assert _run(company_a) == 0
        assert mail.outbox == []


def test_a_new_end_date_brings_a_new_reminder(company_a, szef):
    with schema_context(company_a.schema_name):
        contract = _running(szef, days_left=5)
        assert _run(company_a) == 1
        # a running unsigned contract may still have its dates corrected
        contract_update(contract=contract, actor=szef, end_date=timezone.localdate() + timedelta(days=6))

        assert _run(company_a) == 1


def test_the_daily_job_activates_signed_contracts_and_expires_ended_ones(company_a, szef):
    with schema_context(company_a.schema_name):
        today = timezone.localdate()
        signed = contract_make(actor=szef, start_date=today, end_date=today + timedelta(days=100))
        ended = contract_make(actor=szef, start_date=today - timedelta(days=20), end_date=today - timedelta(days=1))
        Contract.objects.filter(pk=signed.pk).update(status=ContractStatus.SIGNED)
        Contract.objects.filter(pk=ended.pk).update(status=ContractStatus.ACTIVE)

        _run(company_a)

        assert Contract.objects.get(pk=signed.pk).status == ContractStatus.ACTIVE
        assert Contract.objects.get(pk=ended.pk).status == ContractStatus.EXPIRED


def test_the_reminders_run_daily_for_every_company(settings):
    assert settings.CELERY_BEAT_SCHEDULE["contracts-remind"]["task"] == "contracts.contracts_remind_fanout"
