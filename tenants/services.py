"""Creating companies: one all-or-nothing service used by signup, the
`provision_tenant` command and the tests.

Building a schema with every CRM table takes seconds, so it is done ahead of
time: the pool holds ready, migrated, unassigned schemas (`Company` rows with
status `pool`; `migrate_schemas` keeps them current like any company). Signup
claims one with `SELECT ... FOR UPDATE SKIP LOCKED`, renames the schema and
fills it, all in one transaction. An empty pool means building one first (the
slow path), never failing.
"""

from __future__ import annotations

import functools
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists

from tenants.db import connection
from tenants.models import Company, CompanyStatus, Domain
from tenants.signals_provision import company_provisioned
from tenants.urls_helpers import company_host
from tenants.validators import normalise_subdomain, schema_name_for, subdomain_problem

logger = logging.getLogger(__name__)

TRIAL_DAYS = 14


class ProvisioningError(Exception):
    """A failure the person can act on; `field` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ProvisionResult:
    company: Company
    owner_id: int
    from_pool: bool


def subdomain_availability(subdomain: str) -> str | None:
    """Why `subdomain` cannot be used now (format, reserved, taken), or None."""
    problem = subdomain_problem(subdomain)
    if problem:
        return problem
    sub = normalise_subdomain(subdomain)
    taken = (
        Company.objects.filter(subdomain__iexact=sub).exists()
        or Domain.objects.filter(domain__iexact=company_host(sub)).exists()
        or schema_exists(schema_name_for(sub))
    )
    return str(_("Ten adres jest już zajęty.")) if taken else None


# --- the pool -------------------------------------------------------------------


def pool_schema_build() -> Company:
    """Build one migrated, unassigned schema. Leaves nothing behind on failure."""
    from tenants import template  # local: imports management machinery

    connection.set_schema_to_public()
    company = Company(schema_name=f"pool_{secrets.token_hex(8)}", name="", status=CompanyStatus.POOL)
    company.auto_create_schema = False
    company.save()
    try:
        template.schema_build(company.schema_name)
        Company.objects.filter(pk=company.pk).update(is_ready=True)
        company.is_ready = True
    except BaseException:
        logger.exception("building pool schema %s failed", company.schema_name)
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
        Company.objects.filter(pk=company.pk).delete()
        raise
    return company


def pool_size() -> int:
    return Company.objects.filter(status=CompanyStatus.POOL, is_ready=True).count()


def pool_fill(*, target: int) -> int:
    """Build schemas until `target` are ready; returns how many were built."""
    built = 0
    while pool_size() < target:
        pool_schema_build()
        built += 1
    return built


def _pool_claim() -> Company | None:
    return (
        Company.objects.select_for_update(skip_locked=True)
        .filter(status=CompanyStatus.POOL, is_ready=True)
        .order_by("id")
        .first()
    )


# --- provisioning -----------------------------------------------------------------


def _validate(*, name: str, subdomain: str, email: str, password: str, check_password: bool = True) -> None:
    if not name.strip():
        raise ProvisioningError(_("Podaj nazwę firmy."), field="company_name")
    if len(name) > 200:
        raise ProvisioningError(_("Nazwa firmy może mieć najwyżej 200 znaków."), field="company_name")
    problem = subdomain_availability(subdomain)
    if problem:
        raise ProvisioningError(problem, field="subdomain")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ProvisioningError(_("Podaj poprawny adres e-mail."), field="email") from exc
    if not check_password:
        return
    try:
        password_validation.validate_password(password)
    except ValidationError as exc:
        raise ProvisioningError(" ".join(exc.messages), field="password") from exc


def tenant_provision(
    *,
    name: str,
    subdomain: str,
    email: str,
    password: str,
    owner_name: str = "",
    language: str = "pl",
    check_password: bool = True,
) -> ProvisionResult:
    """Create a company with its schema, domain, defaults, 14-day trial and Szef.

    All or nothing: on any failure no company row, domain, schema or user remains
    (a claimed pool schema returns to the pool) and ProvisioningError says why.
    """
    from crm.accounts.models import Role, User

    name = name.strip()
    subdomain = normalise_subdomain(subdomain)
    email = email.strip().lower()
    _validate(name=name, subdomain=subdomain, email=email, password=password, check_password=check_password)
    password_hash = make_password(password)  # outside the transaction: it is the slow part

    for _attempt in range(3):
        connection.set_schema_to_public()
        try:
            with transaction.atomic():
                company = _pool_claim()
                from_pool = company is not None
                if company is None:
                    # Leave the transaction, build one, and try to claim again.
                    raise _PoolEmpty
                new_schema = schema_name_for(subdomain)
                with connection.cursor() as cursor:
                    cursor.execute(f'ALTER SCHEMA "{company.schema_name}" RENAME TO "{new_schema}"')
                now = timezone.now()
                company.schema_name = new_schema
                company.name = name
                company.subdomain = subdomain
                company.status = CompanyStatus.TRIAL
                company.created_at = now
                company.trial_ends_at = now + timedelta(days=TRIAL_DAYS)
                company.save()
                Domain.objects.create(domain=company_host(subdomain), tenant=company, is_primary=True)
                connection.set_tenant(company)
                owner = User.objects.create(
                    email=email, password=password_hash, name=owner_name, role=Role.SZEF, language=language
                )
                company_provisioned.send(sender=Company, company=company, owner=owner)
                connection.set_schema_to_public()
                transaction.on_commit(functools.partial(_welcome_queue, company.pk))
            return ProvisionResult(company=company, owner_id=owner.pk, from_pool=from_pool)
        except _PoolEmpty:
            pool_schema_build()
            continue
        except (IntegrityError, DatabaseError) as exc:
            connection.set_schema_to_public()
            logger.info("provisioning %s lost a race or failed: %s", subdomain, exc)
            if subdomain_availability(subdomain):
                raise ProvisioningError(_("Ten adres jest już zajęty."), field="subdomain") from exc
            raise ProvisioningError(_("Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę.")) from exc
        finally:
            connection.set_schema_to_public()
    raise ProvisioningError(_("Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę."))


class _PoolEmpty(Exception):
    pass


def _welcome_queue(company_id: int) -> None:
    from tenants.queue import enqueue
    from tenants.tasks import company_welcome_email_send

    enqueue(company_welcome_email_send, company_id)


def tenant_delete(*, company: Company) -> None:
    """Drop a company and its schema (used by tests and the operator's scheduled deletion)."""
    connection.set_schema_to_public()
    with transaction.atomic():
        Domain.objects.filter(tenant=company).delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
        Company.objects.filter(pk=company.pk).delete()


def public_tenant_ensure() -> Company:
    """The public schema's company row and its host names (idempotent)."""
    from django.conf import settings

    connection.set_schema_to_public()
    company, _created = Company.objects.get_or_create(
        schema_name="public",
        defaults={"name": "ImCRM", "status": CompanyStatus.ACTIVE, "is_ready": True},
    )
    hosts = [settings.IMCRM_BASE_DOMAIN, "localhost", "127.0.0.1"]
    for i, host in enumerate(hosts):
        Domain.objects.update_or_create(domain=host, defaults={"tenant": company, "is_primary": i == 0})
    return company
