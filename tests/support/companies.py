"""The two companies every test can use, created once per session.

Company A (`alfa`): a Szef and a Pracownik. Company B (`beta`): its own Szef, the
"outsider" of the isolation tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crm.accounts.models import Role, User
from tenants.db import connection
from tenants.models import Company
from tenants.owner_email import owner_email_mark_confirmed
from tenants.services import public_tenant_ensure, tenant_provision

if TYPE_CHECKING:
    from billing_saas.models import Plan

PASSWORD = "Haslo-testowe-123"
BASE_USERS = {
    "alfa": [("szef@alfa.test", "Anna Szef", Role.SZEF), ("pracownik@alfa.test", "Piotr Pracownik", Role.PRACOWNIK)],
    "beta": [("szef@beta.test", "Olga Outsider", Role.SZEF)],
}
BASE_SUBDOMAINS = ("alfa", "beta")


@dataclass
class Companies:
    a: Company
    b: Company


def companies_create() -> Companies:
    public_tenant_ensure()
    made = {}
    for sub, people in BASE_USERS.items():
        company = Company.objects.filter(subdomain=sub).first()
        if company is None:
            email, name, _role = people[0]
            company = tenant_provision(
                name=f"{sub.capitalize()} Sp. z o.o.",
                subdomain=sub,
                email=email,
                password=PASSWORD,
                owner_name=name,
                check_password=False,
            ).company
        # Established companies: their owners confirmed their addresses long ago (billing works,
        # "forgot your address?" lists them). Tests of the unconfirmed state make their own.
        owner_email_mark_confirmed(company=company)
        connection.set_tenant(company)
        for email, name, role in people[1:]:
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(email, PASSWORD, name=name, role=role)
        connection.set_schema_to_public()
        made[sub] = company
    return Companies(a=made["alfa"], b=made["beta"])


def company_on_plan_with_limits(company: Company, code: str = "start", **limits: int | None) -> Plan:
    """Put `company` on the plan `code` (seeded by billing) with these limits (seat_limit=,
    customer_limit=): real rows, rolled back with the test's transaction."""
    from billing_saas.models import Plan

    connection.set_schema_to_public()
    plan = Plan.objects.get(code=code)
    for name, value in limits.items():
        setattr(plan, name, value)
    plan.save()
    Company.objects.filter(pk=company.pk).update(plan_id=plan.pk)
    return plan
