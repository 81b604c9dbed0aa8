"""Plan limits, asked before creating something that counts against the plan.

Each function returns None when allowed, or the message to show (in the user's
language) when the company's plan does not allow one more. Call them with the
company schema active. A trial uses the limits of the plan marked
`is_trial_default`; a plan with an empty limit has none.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing_saas.lifecycle import plan_for
from billing_saas.models import Plan
from crm.accounts.models import User
from crm.contacts.models import Customer
from tenants.db import connection, on_public_schema
from tenants.models import Company


def _current_plan() -> Plan | None:
    if on_public_schema():
        return None
    company = Company.objects.filter(schema_name=connection.schema_name).only("pk", "plan_id").first()
    return plan_for(company) if company is not None else None


def _where_to_change() -> str:
    return " " + _("Szef może zmienić plan w Ustawieniach > Płatności.")


def seat_limit_problem() -> str | None:
    """May one more active staff member be added (invited)?"""
    plan = _current_plan()
    if plan is None or plan.seat_limit is None:
        return None
    used = User.objects.filter(is_active=True).count()
    if used < plan.seat_limit:
        return None
    message = ngettext(
        "Plan %(plan)s pozwala na %(limit)d aktywnego użytkownika i ten limit jest już wykorzystany.",
        "Plan %(plan)s pozwala na %(limit)d aktywnych użytkowników i ten limit jest już wykorzystany.",
        plan.seat_limit,
    ) % {"plan": plan.name, "limit": plan.seat_limit}
    return message + _where_to_change()


def customer_limit_problem() -> str | None:
    """May one more customer be created?"""
    plan = _current_plan()
    if plan is None or plan.customer_limit is None:
        return None
    used = Customer.objects.count()
    if used < plan.customer_limit:
        return None
    message = ngettext(
        "Plan %(plan)s pozwala na %(limit)d klienta i ten limit jest już wykorzystany.",
        "Plan %(plan)s pozwala na %(limit)d klientów i ten limit jest już wykorzystany.",
        plan.customer_limit,
    ) % {"plan": plan.name, "limit": plan.customer_limit}
    return message + _where_to_change()


_CHECKS = {"seats": seat_limit_problem, "customers": customer_limit_problem}


def plan_limit_problem(resource: str) -> str | None:
    """The check registered with `tenants.limits` (see `BillingSaasConfig.ready`)."""
    check = _CHECKS.get(resource)
    return check() if check is not None else None
