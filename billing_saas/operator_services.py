"""What an operator does to a company. Every action takes a reason and writes one
entry to the operator audit log, in the same transaction as the change."""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta
from typing import Any

import stripe
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing_saas import stripe_api
from billing_saas.exports import export_build
from billing_saas.lifecycle import LIVE_STRIPE, account_for, company_status_save, status_from_billing
from billing_saas.models import CompanyExport, DeletionSchedule, OperatorAction, OperatorAuditEntry, Plan
from crm.accounts.models import User
from crm.common.errors import AppError
from tenants.db import connection
from tenants.models import Company, CompanyStatus
from tenants.storage import company_files_delete

logger = logging.getLogger(__name__)
DELETION_KEEP_DAYS = 30
MAX_TRIAL_EXTENSION_DAYS = 90


class OperatorError(AppError):
    """An operator action refused; the message is for the operator."""


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OperatorError(_("Podaj powód: trafi do dziennika operatora."))
    return reason[:2000]


def audit(
    *,
    operator: User | None,
    company: Company | None,
    action: str,
    reason: str,
    details: dict[str, Any] | None = None,
    company_name: str = "",
    schema_name: str = "",
) -> OperatorAuditEntry:
    """One audit entry: who (None: the system), which company, what, why."""
    return OperatorAuditEntry.objects.create(
        operator_id=getattr(operator, "pk", None),
        operator_email=getattr(operator, "email", None) or "system",
        company=company,
        company_name=company.name if company else company_name,
        schema_name=company.schema_name if company else schema_name,
        action=action,
        reason=reason,
        details=details or {},
    )


def _locked(company: Company) -> Company:
    connection.set_schema_to_public()
    return Company.objects.select_for_update().get(pk=company.pk)


def _pending_deletion(company: Company) -> DeletionSchedule | None:
    return DeletionSchedule.objects.filter(company=company, cancelled_at=None, done_at=None).first()


def _stripe_subscription(account: Any) -> str:
    """The live Stripe subscription we may change, or ''."""
    live = account.stripe_subscription_id and account.stripe_subscription_status in LIVE_STRIPE
    return str(account.stripe_subscription_id) if live and stripe_api.is_configured() else ""


def _stripe_call(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except stripe.StripeError as exc:
        logger.warning("operator stripe call failed: %s", exc)
        raise OperatorError(_("Stripe odrzucił zmianę: %(error)s") % {"error": exc.user_message or str(exc)}) from exc


def trial_extend(*, company: Company, operator: User, days: int, reason: str) -> datetime:
    reason = _reason(reason)
    if not 1 <= days <= MAX_TRIAL_EXTENSION_DAYS:
        raise OperatorError(_("Okres próbny można przedłużyć o 1 do %(max)d dni.") % {"max": MAX_TRIAL_EXTENSION_DAYS})
    with transaction.atomic():
        company = _locked(company)
        if company.status in (CompanyStatus.ACTIVE, CompanyStatus.PAST_DUE):
            raise OperatorError(_("Firma ma opłaconą subskrypcję; okres próbny jej nie dotyczy."))
        account = account_for(company, lock=True)
        now = timezone.now()
        old_end = company.trial_ends_at
        company.trial_ends_at = max(now, old_end or now) + timedelta(days=days)
        account.read_only_since = None
        account.suspended_at = None if not account.operator_suspended else account.suspended_at
        account.save()
        status = CompanyStatus.SUSPENDED if account.operator_suspended else CompanyStatus.TRIAL
        company_status_save(company, status, extra_fields=("trial_ends_at",))
        details = {
            "days": days,
            "from": old_end.isoformat() if old_end else None,
            "to": company.trial_ends_at.isoformat(),
        }
        audit(operator=operator, company=company, action=OperatorAction.TRIAL_EXTEND, reason=reason, details=details)
    return company.trial_ends_at


def plan_change(*, company: Company, operator: User, plan: Plan, reason: str) -> None:
    """Change the plan (and its limits); a paid subscription is moved to the new price in Stripe."""
    reason = _reason(reason)
    with transaction.atomic():
        company = _locked(company)
        account = account_for(company, lock=True)
        old = company.plan_id
        subscription_id = _stripe_subscription(account)
        if subscription_id:
            price = plan.stripe_price_for(account.interval)
            if not price:
                raise OperatorError(_("Plan %(plan)s nie ma ceny w Stripe dla tego okresu.") % {"plan": plan.name})
            subscription = _stripe_call(stripe_api.subscription_retrieve, subscription_id)
            items = stripe_api.field(subscription, "items", "data") or []
            if not items:
                raise OperatorError(_("Subskrypcja w Stripe nie ma pozycji do zmiany."))
            params = {
                "items": [{"id": items[0]["id"], "price": price}],
                "proration_behavior": "create_prorations",
                "metadata": {"company_id": str(company.pk), "plan": plan.code, "interval": account.interval},
            }
            _stripe_call(stripe_api.subscription_update, subscription_id, params)
        company.plan_id = plan.pk
        company.save(update_fields=["plan_id"])
        details = {"from": old, "to": plan.pk, "plan": plan.code, "stripe_subscription": subscription_id or None}
        audit(operator=operator, company=company, action=OperatorAction.PLAN_CHANGE, reason=reason, details=details)


def company_suspend(*, company: Company, operator: User, reason: str) -> None:
    reason = _reason(reason)
    with transaction.atomic():
        company = _locked(company)
        account = account_for(company, lock=True)
        if account.operator_suspended:
            raise OperatorError(_("Firma jest już zawieszona przez operatora."))
        previous = company.status
        account.operator_suspended = True
        account.suspended_at = timezone.now()
        account.save()
        company_status_save(company, CompanyStatus.SUSPENDED)
        details = {"previous_status": previous}
        audit(operator=operator, company=company, action=OperatorAction.SUSPEND, reason=reason, details=details)


def company_reactivate(*, company: Company, operator: User, reason: str) -> str:
    """Lift the operator's suspension; the status then follows billing (a company
    whose trial and grace ran out stays suspended until it pays)."""
    reason = _reason(reason)
    with transaction.atomic():
        company = _locked(company)
        if _pending_deletion(company):
            raise OperatorError(_("Firma ma zaplanowane usunięcie: najpierw je anuluj."))
        account = account_for(company, lock=True)
        if company.status != CompanyStatus.SUSPENDED:
            raise OperatorError(_("Firma nie jest zawieszona."))
        account.operator_suspended = False
        status = status_from_billing(company, account, timezone.now())
        if status != CompanyStatus.SUSPENDED:
            account.suspended_at = None
        account.save()
        company_status_save(company, status)
        details = {"status": status}
        audit(operator=operator, company=company, action=OperatorAction.REACTIVATE, reason=reason, details=details)
    return status


def _export_queue(export_id: int) -> None:
    from billing_saas.tasks import company_export_build
    from tenants.queue import enqueue

    enqueue(company_export_build, export_id)


def _export_new(company: Company, operator: User | None) -> CompanyExport:
    export = CompanyExport.objects.create(
        company=company,
        schema_name=company.schema_name,
        company_name=company.name,
        requested_by_id=getattr(operator, "pk", None),
        requested_by_email=getattr(operator, "email", "system"),
    )
    transaction.on_commit(functools.partial(_export_queue, export.pk))
    return export


def export_request(*, company: Company, operator: User, reason: str) -> CompanyExport:
    reason = _reason(reason)
    with transaction.atomic():
        company = _locked(company)
        export = _export_new(company, operator)
        details = {"export_id": export.pk}
        audit(operator=operator, company=company, action=OperatorAction.EXPORT, reason=reason, details=details)
    return export


def deletion_schedule(*, company: Company, operator: User | None, reason: str) -> DeletionSchedule:
    """Suspend now, export first, drop the schema after 30 days (cancellable until then)."""
    reason = _reason(reason)
    with transaction.atomic():
        company = _locked(company)
        if _pending_deletion(company):
            raise OperatorError(_("Usunięcie tej firmy jest już zaplanowane."))
        account = account_for(company, lock=True)
        subscription_id = _stripe_subscription(account)
        if subscription_id:  # no renewal may be charged while the company waits for deletion
            _stripe_call(stripe_api.subscription_update, subscription_id, {"cancel_at_period_end": True})
            account.cancel_at_period_end = True
        export = _export_new(company, operator)
        schedule = DeletionSchedule.objects.create(
            company=company,
            schema_name=company.schema_name,
            company_name=company.name,
            requested_by_id=getattr(operator, "pk", None),
            requested_by_email=getattr(operator, "email", "system"),
            reason=reason,
            delete_after=timezone.now() + timedelta(days=DELETION_KEEP_DAYS),
            export=export,
        )
        account.operator_suspended = True
        account.suspended_at = account.suspended_at or timezone.now()
        account.save()
        company_status_save(company, CompanyStatus.SUSPENDED)
        details = {"delete_after": schedule.delete_after.isoformat(), "export_id": export.pk}
        audit(
            operator=operator, company=company, action=OperatorAction.DELETION_SCHEDULE, reason=reason, details=details
        )
    return schedule


def deletion_cancel(*, schedule: DeletionSchedule, operator: User, reason: str) -> str:
    reason = _reason(reason)
    with transaction.atomic():
        schedule = DeletionSchedule.objects.select_for_update().get(pk=schedule.pk)
        if not schedule.is_pending or schedule.company is None:
            raise OperatorError(_("To usunięcie nie jest już zaplanowane."))
        company = _locked(schedule.company)
        account = account_for(company, lock=True)
        subscription_id = _stripe_subscription(account)
        if subscription_id and account.cancel_at_period_end:
            _stripe_call(stripe_api.subscription_update, subscription_id, {"cancel_at_period_end": False})
            account.cancel_at_period_end = False
        schedule.cancelled_at = timezone.now()
        schedule.save(update_fields=["cancelled_at"])
        account.operator_suspended = False
        status = status_from_billing(company, account, timezone.now())
        if status != CompanyStatus.SUSPENDED:
            account.suspended_at = None
        account.save()
        company_status_save(company, status)
        details = {"schedule_id": schedule.pk, "status": status}
        audit(operator=operator, company=company, action=OperatorAction.DELETION_CANCEL, reason=reason, details=details)
    return status


def deletion_execute(schedule_id: int, *, now: datetime | None = None) -> bool:
    """Drop a company whose 30 days are over, after its export is ready. True when dropped."""
    from tenants.services import tenant_delete

    now = now or timezone.now()
    connection.set_schema_to_public()
    schedule = DeletionSchedule.objects.get(pk=schedule_id)
    if not schedule.is_pending or schedule.delete_after > now:
        return False
    if schedule.company is None:
        DeletionSchedule.objects.filter(pk=schedule.pk).update(done_at=now)
        return False
    company = schedule.company
    export = schedule.export
    if export is None or export.status != CompanyExport.Status.READY:
        if export is None:
            with transaction.atomic():
                export = _export_new(company, None)
                DeletionSchedule.objects.filter(pk=schedule.pk).update(export=export)
        export = export_build(export.pk)
        if export.status != CompanyExport.Status.READY:
            logger.error("deletion of %s postponed: export failed", company.schema_name)
            return False
    with transaction.atomic():
        schedule = DeletionSchedule.objects.select_for_update().get(pk=schedule_id)
        if not schedule.is_pending:  # cancelled meanwhile
            return False
        account = account_for(company, lock=True)
        subscription_id = _stripe_subscription(account)
        if subscription_id:
            stripe_api.subscription_cancel(subscription_id)
        details = {"export_id": export.pk, "schedule_id": schedule.pk}
        audit(
            operator=None,
            company=company,
            action=OperatorAction.DELETION_EXECUTE,
            reason=schedule.reason,
            details=details,
        )
        schedule.done_at = now
        schedule.save(update_fields=["done_at"])
        tenant_delete(company=company)
    if company.schema_name.startswith("c_"):  # uploaded files of the company go too
        company_files_delete(company.schema_name)
    return True


def deletions_run(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = DeletionSchedule.objects.filter(cancelled_at=None, done_at=None, delete_after__lte=now)
    return sum(1 for pk in due.values_list("pk", flat=True) if deletion_execute(pk, now=now))
