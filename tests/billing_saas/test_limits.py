from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from billing_saas.limits import customer_limit_problem, seat_limit_problem
from billing_saas.models import Plan
from crm.accounts.models import Role
from crm.contacts.models import Customer
from tests.crm.accounts.factories import UserFactory
from tests.support.companies import company_on_plan_with_limits


def test_a_new_company_gets_the_trial_plan(company_a):
    company_a.refresh_from_db()
    assert company_a.plan_id == Plan.objects.get(is_trial_default=True).pk


def test_seat_limit_allows_adding_until_the_plan_is_full(company_a):
    company_on_plan_with_limits(company_a, "start")  # 3 seats; Alfa has 2 active staff
    with schema_context(company_a.schema_name):
        assert seat_limit_problem() is None
        UserFactory(email="trzeci@alfa.test", role=Role.PRACOWNIK)
        problem = seat_limit_problem()
    assert problem is not None
    assert "Start" in problem and "3" in problem
    assert "Ustawieniach > Płatności" in problem


def test_inactive_staff_do_not_take_a_seat(company_a):
    company_on_plan_with_limits(company_a, "start")
    with schema_context(company_a.schema_name):
        UserFactory(email="byly@alfa.test", is_active=False)
        UserFactory(email="nowy@alfa.test", is_active=False)
        assert seat_limit_problem() is None


def test_inviting_past_the_seat_limit_is_refused_with_the_message(company_a, szef):
    from crm.accounts.services import StaffError, invitation_create

    company_on_plan_with_limits(company_a, "start", seat_limit=2)
    with schema_context(company_a.schema_name), pytest.raises(StaffError) as exc:
        invitation_create(email="nowa@alfa.test", role=Role.PRACOWNIK, invited_by=szef)
    assert "Start" in str(exc.value.message)


def test_customer_limit_refuses_one_customer_too_many(company_a, szef):
    from crm.contacts.services import customer_create

    company_on_plan_with_limits(company_a, "start", customer_limit=2)
    with schema_context(company_a.schema_name):
        customer_create(actor=szef, data={"kind": "company", "name": "Pierwsza Sp. z o.o."})
        assert customer_limit_problem() is None
        customer_create(actor=szef, data={"kind": "company", "name": "Druga Sp. z o.o."})
        problem = customer_limit_problem()
        with pytest.raises(ValidationError) as exc:
            customer_create(actor=szef, data={"kind": "company", "name": "Trzecia Sp. z o.o."})
        assert Customer.objects.count() == 2
    assert problem is not None and "2 klientów" in problem
    assert problem in " ".join(exc.value.messages)


def test_a_plan_without_a_limit_never_refuses(company_a):
    company_on_plan_with_limits(company_a, "firma", customer_limit=None, seat_limit=None)
    with schema_context(company_a.schema_name):
        assert customer_limit_problem() is None
        assert seat_limit_problem() is None


def test_limits_of_another_company_are_its_own(company_a, company_b):
    company_on_plan_with_limits(company_a, "start", seat_limit=1)
    company_on_plan_with_limits(company_b, "firma")
    with schema_context(company_b.schema_name):
        assert seat_limit_problem() is None
    with schema_context(company_a.schema_name):
        assert seat_limit_problem() is not None


def test_limit_messages_are_translated(company_a):
    company_on_plan_with_limits(company_a, "start", seat_limit=1)
    with schema_context(company_a.schema_name), translation.override("en"):
        problem = seat_limit_problem()
    assert problem is not None and "allows" in problem


def test_outside_a_company_there_is_no_limit():
    assert seat_limit_problem() is None
    assert customer_limit_problem() is None
