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
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_exists

from crm.common.errors import AppError
from tenants.db import connection
from tenants.models import Company, CompanyStatus, Domain
from tenants.pool import pool_claim, pool_fill, pool_return, pool_schema_build, pool_size
from tenants.routing import tenant_lookup_invalidate
from tenants.setup import company_setup_run
from tenants.urls_helpers import company_host
from tenants.validators import (
    SUBDOMAIN_MAX,
    SUBDOMAIN_MIN,
    normalise_subdomain,
    schema_name_for,
    subdomain_problem,
    suggest_subdomain,
)

logger = logging.getLogger(__name__)

TRIAL_DAYS = 14


class ProvisioningError(AppError):
    """A signup or provisioning failure the person can act on; `field` names the form field to blame."""


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


def subdomain_suggestion(company_name: str) -> str:
    """A free subdomain made from the company name: 'Łódź Śruby' -> 'lodz-sruby'
    (or 'lodz-sruby-2'... when taken); '' when the name gives nothing usable."""
    base = suggest_subdomain(company_name)
    if not base:
        return ""
    if len(base) < SUBDOMAIN_MIN:
        base = f"{base}-crm"
    for n in range(1, 10):
        candidate = base if n == 1 else f"{base[: SUBDOMAIN_MAX - 2].rstrip('-')}-{n}"
        if subdomain_availability(candidate) is None:
            return candidate
    return base


# --- provisioning -----------------------------------------------------------------


def _validate(
    *, name: str, subdomain: str, email: str, password: str, owner_name: str = "", check_password: bool = True
) -> None:
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
    problem = password_problem(password, email=email, name=owner_name)
    if problem:
        raise ProvisioningError(problem, field="password")


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """What Django's password validators say about `password` for this owner, or None."""
    try:
        password_validation.validate_password(password, user=get_user_model()(email=email, name=name))
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return None


def tenant_provision(
    *,
    name: str,
    subdomain: str,
    email: str,
    password: str = "",
    password_hash: str = "",
    owner_name: str = "",
    language: str = "pl",
    check_password: bool = True,
) -> ProvisionResult:
    """Create a company with its schema, domain, defaults, 14-day trial and Szef.

    All or nothing: on any failure no company row, domain, schema or user remains
    (a claimed pool schema returns to the pool) and ProvisioningError says why.
    `password_hash` (already hashed, already validated) skips hashing, the slow
    part; the bench uses it to time hashing on its own.
    """
    name = name.strip()
    subdomain = normalise_subdomain(subdomain)
    email = email.strip().lower()
    _validate(
        name=name,
        subdomain=subdomain,
        email=email,
        password=password,
        owner_name=owner_name,
        check_password=check_password and not password_hash,
    )
    # Hashing is the slow part (PBKDF2, ~0.3 s of CPU that releases the GIL): it runs
    # in a thread while the transaction below does its work, and only the last step
    # of the transaction waits for it.
    hashed: Future[str] = _hashing().submit(make_password, password) if not password_hash else _done(password_hash)

    reserved: Company | None = None  # a schema built for this signup because the pool was empty
    for _attempt in range(3):
        try:
            return _provision_in_transaction(
                name=name,
                subdomain=subdomain,
                email=email,
                hashed=hashed,
                owner_name=owner_name,
                language=language,
                reserved_id=reserved.pk if reserved else None,
            )
        except _PoolEmpty:
            # The slow path, never a failure: build a schema for this signup and claim it.
            try:
                reserved = pool_schema_build(ready=False)
            except Exception as exc:
                logger.exception("building a schema for %s failed", subdomain)
                raise ProvisioningError(_("Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę.")) from exc
        except ProvisioningError:
            raise
        except (IntegrityError, DatabaseError) as exc:
            _failed(reserved)
            logger.info("provisioning %s lost a race or failed: %s", subdomain, exc)
            if subdomain_availability(subdomain):
                raise ProvisioningError(_("Ten adres jest już zajęty."), field="subdomain") from exc
            raise ProvisioningError(_("Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę.")) from exc
        except Exception as exc:
            _failed(reserved)
            logger.exception("provisioning %s failed", subdomain)
            raise ProvisioningError(_("Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę.")) from exc
        finally:
            connection.set_schema_to_public()
    if reserved is not None:
        _failed(reserved)
    raise ProvisioningError(_("Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę."))


def _failed(reserved: Company | None) -> None:
    connection.set_schema_to_public()
    if reserved is not None:
        pool_return(reserved.pk)


def _provision_in_transaction(
    *,
    name: str,
    subdomain: str,
    email: str,
    hashed: Future[str],
    owner_name: str,
    language: str,
    reserved_id: int | None,
) -> ProvisionResult:
    User = get_user_model()  # crm.accounts.User: the user model is a setting, not an import
    connection.set_schema_to_public()
    with transaction.atomic():
        company = pool_claim(reserved_id)
        if company is None:
            raise _PoolEmpty  # leave the transaction (nothing done yet), build one, claim again
        pooled = company.schema_name
        new_schema = schema_name_for(subdomain)
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SCHEMA "{pooled}" RENAME TO "{new_schema}"')
        now = timezone.now()
        company.schema_name = new_schema
        company.name = name
        company.subdomain = subdomain
        company.status = CompanyStatus.TRIAL
        company.created_at = now
        company.trial_ends_at = now + timedelta(days=TRIAL_DAYS)
        company.is_ready = True
        company.owner_email_confirmed_at = None  # asked for in the welcome e-mail (tenants/owner_email.py)
        company.owner_reported_not_me_at = None
        company.save()
        Domain.objects.create(domain=company_host(subdomain), tenant=company, is_primary=True)
        connection.set_tenant(company)
        # "!" is an unusable password, replaced below before the transaction commits.
        owner = User.objects.create_company_owner(email=email, name=owner_name, language=language)
        company_setup_run(company=company, owner=owner)
        owner.password = hashed.result(timeout=60)
        User.objects.filter(pk=owner.pk).update(password=owner.password)
        connection.set_schema_to_public()
        transaction.on_commit(tenant_lookup_invalidate)
        transaction.on_commit(functools.partial(_welcome_queue, company.pk))
        transaction.on_commit(_pool_refill_queue)
    return ProvisionResult(company=company, owner_id=owner.pk, from_pool=reserved_id is None)


class _PoolEmpty(Exception):
    pass


_hashers: dict[int, ThreadPoolExecutor] = {}


def _hashing() -> ThreadPoolExecutor:
    """This process's hashing threads (made after a fork, never inherited from a parent)."""
    pid = os.getpid()
    if pid not in _hashers:
        _hashers.clear()
        _hashers[pid] = ThreadPoolExecutor(max_workers=4, thread_name_prefix="imcrm-password-hash")
    return _hashers[pid]


def _done(value: str) -> Future[str]:
    future: Future[str] = Future()
    future.set_result(value)
    return future


def _welcome_queue(company_id: int) -> None:
    from tenants.queue import enqueue
    from tenants.tasks import company_welcome_email_send

    enqueue(company_welcome_email_send, company_id)


def _pool_refill_queue() -> None:
    """Top the pool up in the background; never inline in a request (it takes seconds)."""
    from tenants.queue import QueueUnavailable, enqueue
    from tenants.tasks import pool_refill

    try:
        enqueue(pool_refill, run_inline_if_down=False)
    except QueueUnavailable:
        logger.warning("pool refill not queued: the broker is down; run `manage.py pool_fill`")


def tenant_delete(*, company: Company) -> None:
    """Drop a company and its schema (used by tests and the operator's scheduled deletion),
    and, once that is committed, its stored backups (MEDIA_ROOT/<schema>/backups/)."""
    connection.set_schema_to_public()
    with transaction.atomic():
        Domain.objects.filter(tenant=company).delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
        Company.objects.filter(pk=company.pk).delete()
        transaction.on_commit(functools.partial(_backups_remove, company.schema_name))


def _backups_remove(schema: str) -> None:
    from django.conf import settings

    shutil.rmtree(Path(settings.MEDIA_ROOT) / schema / "backups", ignore_errors=True)


def public_tenant_ensure() -> Company:
    """The public schema's company row and its host names (idempotent)."""
    from django.conf import settings

    connection.set_schema_to_public()
    with transaction.atomic():
        company, _created = Company.objects.get_or_create(
            schema_name=get_public_schema_name(),
            defaults={"name": "ImCRM", "status": CompanyStatus.ACTIVE, "is_ready": True},
        )
        hosts = [settings.IMCRM_BASE_DOMAIN, "localhost", "127.0.0.1"]
        for i, host in enumerate(hosts):
            Domain.objects.update_or_create(domain=host, defaults={"tenant": company, "is_primary": i == 0})
    return company


__all__ = [
    "ProvisionResult",
    "ProvisioningError",
    "pool_fill",
    "pool_size",
    "public_tenant_ensure",
    "subdomain_availability",
    "subdomain_suggestion",
    "tenant_delete",
    "tenant_provision",
]
