"""Factories for the billing rows (public schema). Plans are real rows: a test that needs
a limit makes a plan with it (`PlanFactory(seat_limit=3)`) and puts the company on it
(`company_a.plan_id = plan.pk`), instead of patching the limit check."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from billing_saas.models import (
    BillingAccount,
    CompanyExport,
    DeletionSchedule,
    OperatorAction,
    OperatorAuditEntry,
    Plan,
    StripeEvent,
    TrialReminder,
)


class PlanFactory(factory.django.DjangoModelFactory):
    """An active plan without limits unless given (`seat_limit=`, `customer_limit=`)."""

    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"plan-testowy-{n}")
    name = factory.Sequence(lambda n: f"Plan Testowy {n}")
    price_monthly = Decimal("49.00")
    price_yearly = Decimal("490.00")
    sort_order = factory.Sequence(lambda n: 100 + n)


class BillingAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillingAccount
        django_get_or_create = ("company",)


class StripeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StripeEvent

    id = factory.Sequence(lambda n: f"evt_test_{n}")
    type = "invoice.paid"
    created = factory.LazyFunction(timezone.now)
    payload = factory.LazyAttribute(lambda o: {"id": o.id, "type": o.type, "data": {"object": {}}})


class TrialReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrialReminder

    kind = TrialReminder.Kind.values[0]
    trial_ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))


class OperatorAuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorAuditEntry

    operator_email = "operator@imcrm.test"
    company_name = factory.LazyAttribute(lambda o: o.company.name if o.company else "")
    schema_name = factory.LazyAttribute(lambda o: o.company.schema_name if o.company else "")
    action = OperatorAction.values[0]
    reason = "Test"
    company = None


class CompanyExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyExport

    company_name = factory.LazyAttribute(lambda o: o.company.name if o.company else "Firma")
    schema_name = factory.LazyAttribute(lambda o: o.company.schema_name if o.company else "c_nie_ma")
    requested_by_email = "operator@imcrm.test"
    company = None


class DeletionScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeletionSchedule

    company_name = factory.LazyAttribute(lambda o: o.company.name if o.company else "Firma")
    schema_name = factory.LazyAttribute(lambda o: o.company.schema_name if o.company else "c_nie_ma")
    requested_by_email = "operator@imcrm.test"
    reason = "Test"
    delete_after = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    company = None
